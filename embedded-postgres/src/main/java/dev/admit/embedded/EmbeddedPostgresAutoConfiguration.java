package dev.admit.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
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
 * are refused before anything starts; the database is locked with a password ({@link LockedEmbeddedPostgres}).
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
@ConditionalOnMissingBean(DataSource.class)
public class EmbeddedPostgresAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    public EmbeddedPostgres embeddedPostgres(LockedEmbeddedPostgres locked) {
        return locked.postgres();
    }

    @Bean
    public LockedEmbeddedPostgres lockedEmbeddedPostgres(Environment environment) throws IOException {
        Path home = Path.of(environment.getProperty("admit.data-dir", "data")).toAbsolutePath();
        LockedEmbeddedPostgres locked = LockedEmbeddedPostgres.start(home);
        log.debug("Embedded PostgreSQL is running with its data in {}", home.resolve("pg"));
        return locked;
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(LockedEmbeddedPostgres locked, EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(locked.jdbcUrl());
        config.setUsername(LockedEmbeddedPostgres.SUPERUSER);
        config.setPassword(locked.password());
        config.setPoolName("admit-embedded");
        config.setMaximumPoolSize(20);
        config.setConnectionTimeout(5_000);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }
}
