package dev.admit.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The runnable service: Admit on its embedded PostgreSQL unless {@code spring.datasource.url} names another. */
@SpringBootApplication
public class AdmitApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(AdmitApplication.class);
        // the service owns its schema through Admit's own migrations (see AdmitSchema)
        application.setDefaultProperties(java.util.Map.of("spring.flyway.enabled", "false"));
        application.run(args);
    }
}
