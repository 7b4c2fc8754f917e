package dev.admit.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The BOM hosts import names the very versions Admit is built and tested with (the top-level pom's). */
class BomVersionsTest {

    private static final Pattern VERSION_PROPERTY = Pattern.compile("<([a-z.-]+\\.version)>([^<]+)</\\1>");

    @Test
    void every_version_in_the_bom_is_the_builds_own() throws IOException {
        Map<String, String> bom = versions(Path.of("..", "bom", "pom.xml"));
        Map<String, String> build = versions(Path.of("..", "pom.xml"));

        assertThat(bom).isNotEmpty();
        bom.forEach((property, version) -> assertThat(build).as(property).containsEntry(property, version));
    }

    private static Map<String, String> versions(Path pom) throws IOException {
        Map<String, String> versions = new TreeMap<>();
        Matcher property = VERSION_PROPERTY.matcher(Files.readString(pom));
        while (property.find()) {
            versions.put(property.group(1), property.group(2));
        }
        return versions;
    }
}
