package dev.admit.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class AdmitApplicationFlagsTest {

    @Test
    void the_standalone_service_turns_armerias_path_caches_off() {
        Properties system = new Properties();

        AdmitApplication.preferArmeriaFlags(system);

        assertThat(system)
                .containsEntry("com.linecorp.armeria.routeCacheSpec", "off")
                .containsEntry("com.linecorp.armeria.routeDecoratorCacheSpec", "off")
                .containsEntry("com.linecorp.armeria.parsedPathCacheSpec", "off");
    }

    @Test
    void a_flag_given_on_the_command_line_is_kept() {
        Properties system = new Properties();
        system.setProperty("com.linecorp.armeria.routeCacheSpec", "maximumSize=100");

        AdmitApplication.preferArmeriaFlags(system);

        assertThat(system)
                .containsEntry("com.linecorp.armeria.routeCacheSpec", "maximumSize=100")
                .containsEntry("com.linecorp.armeria.routeDecoratorCacheSpec", "off");
    }
}
