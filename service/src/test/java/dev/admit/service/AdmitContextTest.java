package dev.admit.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A test against the whole service context on its embedded PostgreSQL, in a fresh data directory. Spring caches
 * the context by its configuration, so the test classes that share one also share its database and its running
 * users projection: whatever a test stores must be something that projection can read (a user's stream starts with
 * {@code user.human.added}), or it stops every later class's projection.
 */
@SpringBootTest(
        classes = AdmitApplication.class,
        properties = {
            "spring.flyway.enabled=false",
            "admit.server.port=0",
            "logging.config=classpath:admit-logback.xml",
            "admit.server.reflection=true",
            "admit.server.cors-allowed-origins=https://app.example"
        })
public abstract class AdmitContextTest {

    @DynamicPropertySource
    static void freshDataDirectory(DynamicPropertyRegistry registry) throws IOException {
        Path base = Path.of("target", "test-data");
        Files.createDirectories(base);
        Path dataDir = Files.createTempDirectory(base, "admit-");
        registry.add("admit.data-dir", dataDir::toString);
    }
}
