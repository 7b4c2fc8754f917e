package dev.admit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every {@code admit.*} property an IDE completes carries a description, and docs/configuration.md lists it. */
class ConfigurationMetadataTest {

    private static JsonNode metadata() throws IOException {
        try (InputStream in =
                ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor's output").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<JsonNode> properties() throws IOException {
        List<JsonNode> properties = new ArrayList<>();
        metadata().get("properties").forEach(properties::add);
        return properties;
    }

    @Test
    void every_property_has_a_description() throws IOException {
        List<JsonNode> properties = properties();

        assertThat(properties).hasSizeGreaterThan(30);
        assertThat(properties)
                .filteredOn(property -> !property.hasNonNull("description")
                        || property.get("description").asText().isBlank())
                .extracting(property -> property.get("name").asText())
                .as("properties without a description")
                .isEmpty();
    }

    @Test
    void properties_with_a_default_in_code_carry_it_in_the_metadata() throws IOException {
        assertThat(properties())
                .filteredOn(property -> property.get("name").asText().equals("admit.invite.expiry"))
                .singleElement()
                .satisfies(property ->
                        assertThat(property.get("defaultValue").asText()).isEqualTo("72h"));
    }

    @Test
    void the_configuration_page_lists_every_property() throws IOException {
        String page = Files.readString(Path.of("..", "docs", "configuration.md"));

        assertThat(properties())
                .extracting(property -> property.get("name").asText())
                .filteredOn(name -> !page.contains("`" + name + "`"))
                .as("properties missing from docs/configuration.md")
                .isEmpty();
    }
}
