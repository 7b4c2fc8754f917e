package dev.admit.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresMajorVersionsTest {

    @TempDir
    Path dataDirectory;

    @Test
    void the_binaries_on_the_class_path_are_postgresql_17() {
        assertThat(PostgresMajorVersions.binaries(getClass().getClassLoader()))
                .hasValueSatisfying(version -> assertThat(version).startsWith("17."));
    }

    @Test
    void a_fresh_data_directory_and_shipped_binaries_pass() {
        assertThatCode(() -> PostgresMajorVersions.check(Optional.of("17.11"), Optional.empty(), dataDirectory))
                .doesNotThrowAnyException();
    }

    @Test
    void a_data_directory_of_another_major_version_is_refused_naming_both() throws Exception {
        Files.writeString(dataDirectory.resolve("PG_VERSION"), "14\n");

        Optional<Integer> recorded = PostgresMajorVersions.dataDirectory(dataDirectory);

        assertThat(recorded).contains(14);
        assertThatThrownBy(() -> PostgresMajorVersions.check(Optional.of("17.11"), recorded, dataDirectory))
                .hasMessageContaining("initialised by PostgreSQL 14")
                .hasMessageContaining("Admit's embedded database is PostgreSQL 17");
    }

    @Test
    void binaries_of_another_major_version_are_refused_naming_the_bom() {
        assertThatThrownBy(() -> PostgresMajorVersions.check(Optional.of("14.22"), Optional.empty(), dataDirectory))
                .hasMessageContaining("PostgreSQL 14.22 binaries")
                .hasMessageContaining("dev.admit:admit-bom");
    }
}
