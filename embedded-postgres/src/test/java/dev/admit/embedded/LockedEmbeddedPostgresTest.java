package dev.admit.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockedEmbeddedPostgresTest {

    @TempDir
    Path home;

    private static Connection connect(String url, String password) throws SQLException {
        return password == null
                ? DriverManager.getConnection(url + "&user=postgres")
                : DriverManager.getConnection(url, "postgres", password);
    }

    @Test
    void the_superuser_needs_the_generated_password_and_the_files_are_the_owners_alone() throws Exception {
        LockedEmbeddedPostgres locked = LockedEmbeddedPostgres.start(home);
        try {
            String url = "jdbc:postgresql://localhost:" + locked.postgres().getPort() + "/postgres?connectTimeout=5";

            assertThatThrownBy(() -> connect(url, null).close())
                    .as("postgres without the secret")
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> connect(url, "not-the-password").close()).isInstanceOf(SQLException.class);
            try (Connection connection = connect(url, locked.password())) {
                assertThat(connection.isValid(5)).isTrue();
            }
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(home.resolve(LockedEmbeddedPostgres.PASSWORD_FILE))))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(home.resolve(LockedEmbeddedPostgres.RUNTIME_DIRECTORY))))
                    .isEqualTo("rwx------");
        } finally {
            locked.postgres().close();
        }

        LockedEmbeddedPostgres again = LockedEmbeddedPostgres.start(home);
        try (Connection connection =
                connect("jdbc:postgresql://localhost:" + again.postgres().getPort() + "/postgres", again.password())) {
            assertThat(connection.isValid(5))
                    .as("the same password after a restart")
                    .isTrue();
        } finally {
            again.postgres().close();
        }
    }

    @Test
    void a_password_less_cluster_of_an_earlier_admit_is_locked_on_its_next_start() throws Exception {
        EmbeddedPostgres earlier = EmbeddedPostgres.builder()
                .setDataDirectory(home.resolve("pg"))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .start();
        earlier.close();

        LockedEmbeddedPostgres locked = LockedEmbeddedPostgres.start(home);
        try {
            String url = "jdbc:postgresql://localhost:" + locked.postgres().getPort() + "/postgres?connectTimeout=5";
            assertThatThrownBy(() -> connect(url, null).close()).isInstanceOf(SQLException.class);
            try (Connection connection = connect(url, locked.password())) {
                assertThat(connection.isValid(5)).isTrue();
            }
        } finally {
            locked.postgres().close();
        }
    }

    @Test
    void binaries_are_not_unpacked_into_a_directory_others_may_write() throws Exception {
        Path runtime = Files.createDirectories(home.resolve(LockedEmbeddedPostgres.RUNTIME_DIRECTORY));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> LockedEmbeddedPostgres.start(home)).hasMessageContaining("no one else can write");
    }
}
