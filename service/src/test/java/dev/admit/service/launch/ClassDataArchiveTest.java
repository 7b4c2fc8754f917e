package dev.admit.service.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

    @TempDir
    Path dataDir;

    private List<String> flags(List<String> jvmArguments, Map<String, String> environment) throws Exception {
        Path jar = Files.writeString(dataDir.resolve("admit-service.jar"), "jar");
        return ClassDataArchive.flags(
                jar, new String[] {"--admit.data-dir=" + dataDir.resolve("data")}, environment, jvmArguments);
    }

    @Test
    void a_plain_jvm_writes_the_archive_at_its_first_stop() throws Exception {
        assertThat(flags(List.of("-Xms64m"), Map.of()))
                .anySatisfy(flag -> assertThat(flag).startsWith("-XX:ArchiveClassesAtExit="));
    }

    @Test
    void a_jvm_with_an_agent_or_a_flight_recording_from_its_start_goes_without_the_archive() throws Exception {
        for (String option : List.of(
                "-javaagent:/opt/otel/opentelemetry-javaagent.jar",
                "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n",
                "-agentpath:/opt/profiler/libasyncProfiler.so=start",
                "-XX:StartFlightRecording",
                "-XX:StartFlightRecording=filename=start.jfr,settings=profile")) {
            assertThat(flags(List.of("-Xms64m", option), Map.of())).as(option).isEmpty();
        }
    }

    @Test
    void options_from_the_environment_count_as_the_command_lines() throws Exception {
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            assertThat(flags(List.of(), Map.of(variable, " -Dx=1  -javaagent:agent.jar ")))
                    .as(variable)
                    .isEmpty();
        }
        assertThat(flags(List.of(), Map.of("JAVA_TOOL_OPTIONS", "-Dfile.encoding=UTF-8")))
                .isNotEmpty();
    }

    @Test
    void the_switch_turns_it_off() throws Exception {
        assertThat(flags(List.of(), Map.of(ClassDataArchive.SWITCH, "off"))).isEmpty();
    }
}
