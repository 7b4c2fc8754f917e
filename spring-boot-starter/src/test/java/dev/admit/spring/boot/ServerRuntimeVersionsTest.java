package dev.admit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerRuntimeVersionsTest {

    @Test
    void the_versions_admit_is_built_with_pass() {
        assertThat(ServerRuntimeVersions.problems(
                        Optional.of("4.2.7.Final"), Optional.of("4.33.5"), Optional.of("1.85.1")))
                .isEmpty();
    }

    @Test
    void netty_4_1_as_spring_boots_parent_pins_it_names_the_property_to_set() {
        List<String> problems = ServerRuntimeVersions.problems(
                Optional.of("4.1.128.Final"), Optional.of("4.33.5"), Optional.of("1.85.1"));

        assertThat(problems)
                .singleElement()
                .asString()
                .contains("Netty is 4.1.128.Final")
                .contains("<netty.version>4.2.7.Final</netty.version>");
    }

    @Test
    void protobuf_3_or_an_older_grpc_name_the_bom_to_import() {
        List<String> problems =
                ServerRuntimeVersions.problems(Optional.of("4.2.7.Final"), Optional.empty(), Optional.of("1.78.0"));

        assertThat(problems)
                .hasSize(2)
                .allSatisfy(problem -> assertThat(problem).contains("dev.admit:admit-bom"));
        assertThat(problems.get(0)).contains("protobuf-java is 3.x or missing");
        assertThat(problems.get(1)).contains("gRPC is 1.78.0");
    }

    @Test
    void versions_compare_by_their_numbers_not_their_text() {
        assertThat(ServerRuntimeVersions.Version.parse("4.33.10"))
                .isGreaterThan(ServerRuntimeVersions.Version.parse("4.33.5"));
        assertThat(ServerRuntimeVersions.Version.parse("4.2.0.Final"))
                .isGreaterThan(ServerRuntimeVersions.Version.parse("4.1.128.Final"));
        assertThat(ServerRuntimeVersions.Version.parse("1.83.1-SNAPSHOT"))
                .isEqualByComparingTo(ServerRuntimeVersions.Version.parse("1.83.1"));
    }
}
