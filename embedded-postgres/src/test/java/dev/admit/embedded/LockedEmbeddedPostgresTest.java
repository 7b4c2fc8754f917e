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
import java.util.List;
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
    void a_first_start_killed_during_initdb_leaves_nothing_that_stops_the_next_start() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        Thread killer = new Thread(() -> {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!killed.get() && System.nanoTime() < deadline) {
                // the state the issue saw: initdb has written postgresql.conf, not yet global/pg_control
                if (Files.exists(home.resolve("pg/postgresql.conf"))) {
                    ProcessHandle.current()
                            .descendants()
                            .filter(process ->
                                    process.info().command().orElse("").endsWith("initdb"))
                            .findAny()
                            .ifPresent(initdb -> {
                                // as kill -9 of the whole tree: initdb first, so it cannot clean up after itself
                                List<ProcessHandle> children =
                                        initdb.descendants().toList();
                                initdb.destroyForcibly();
                                children.forEach(ProcessHandle::destroyForcibly);
                                killed.set(true);
                            });
                }
                Thread.onSpinWait();
            }
        });
        killer.start();
        assertThatThrownBy(() -> LockedEmbeddedPostgres.start(home).postgres().close())
                .as("the first start, killed during initdb");
        killer.join();
        assertThat(killed).isTrue();
        assertThat(home.resolve("pg/global/pg_control")).doesNotExist();

        LockedEmbeddedPostgres locked = LockedEmbeddedPostgres.start(home);
        try (Connection connection = connect(
                "jdbc:postgresql://localhost:" + locked.postgres().getPort() + "/postgres", locked.password())) {
            assertThat(connection.isValid(5)).isTrue();
        } finally {
            locked.postgres().close();
        }
        try (var entries = Files.list(home)) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .as("the unfinished directory is kept aside, not deleted")
                    .anyMatch(name -> name.startsWith("pg.unfinished-"));
        }
    }

    @Test
    void a_start_that_fails_logs_postgresqls_own_reason() throws Exception {
        Path log = Files.createTempFile("postgres", ".log");
        Files.writeString(
                log,
                "waiting for server to start....\n"
                        + "2026-12-02 FATAL:  could not open file \"global/pg_control\": No such file or directory\n"
                        + "pg_ctl: could not start server\n");

        assertThat(LockedEmbeddedPostgres.reasonIn(log))
                .contains("could not open file \"global/pg_control\"")
                .contains("pg_ctl: could not start server");
    }

    @Test
    void binaries_are_not_unpacked_into_a_directory_others_may_write() throws Exception {
        Path runtime = Files.createDirectories(home.resolve(LockedEmbeddedPostgres.RUNTIME_DIRECTORY));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> LockedEmbeddedPostgres.start(home)).hasMessageContaining("no one else can write");
    }
}
