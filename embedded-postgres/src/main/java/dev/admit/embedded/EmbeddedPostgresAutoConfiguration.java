package dev.admit.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The default database: with no {@code spring.datasource.url} and no {@link DataSource} of the host's, a real
 * PostgreSQL 17 runs from a Maven artifact with its data under {@code ${admit.data-dir}/pg}, so a restart keeps
 * every event. It stops after the data source has closed. Binaries or a data directory of another major version
 * are refused before anything starts.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
@ConditionalOnMissingBean(DataSource.class)
public class EmbeddedPostgresAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    public EmbeddedPostgres embeddedPostgres(Environment environment) throws IOException {
        Path dataDirectory = Path.of(environment.getProperty("admit.data-dir", "data"))
                .resolve("pg")
                .toAbsolutePath();
        PostgresMajorVersions.check(
                PostgresMajorVersions.binaries(getClass().getClassLoader()),
                PostgresMajorVersions.dataDirectory(dataDirectory),
                dataDirectory);
        Files.createDirectories(dataDirectory);
        OrphanedPostgres.stopIfAny(dataDirectory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // the library's test defaults turn durability off; a service's events must survive a crash
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
        log.debug("Embedded PostgreSQL is running with its data in {}", dataDirectory);
        return postgres;
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setPoolName("admit-embedded");
        config.setMaximumPoolSize(20);
        config.setConnectionTimeout(5_000);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }
}
