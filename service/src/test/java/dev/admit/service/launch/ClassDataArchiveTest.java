package dev.admit.service.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {

    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<String> SERVICE_OPTIONS = List.of("-Xmx64m");

    @TempDir
    Path dir;

    private Path jar;
    private Path cds;

    @BeforeEach
    void aJar() throws IOException {
        jar = dir.resolve("admit-service.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream empty = new JarOutputStream(out, new Manifest())) {
            empty.flush();
        }
        cds = dir.resolve("data").resolve("cds");
    }

    private ClassDataArchive archive(List<String> jvmArguments, Map<String, String> environment) {
        return ClassDataArchive.of(
                jar, new String[] {"--admit.data-dir=" + dir.resolve("data")}, environment, jvmArguments);
    }

    private List<String> flags(List<String> jvmArguments, Map<String, String> environment) {
        return archive(jvmArguments, environment).flags();
    }

    /** A JVM run on the jar with the archive's flags, as the service's JVM runs: its exit status. */
    private static int run(Path jar, List<String> flags, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(SERVICE_OPTIONS);
        command.addAll(flags);
        command.addAll(List.of(more));
        command.addAll(List.of("-cp", jar.toString(), "-version"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    @Test
    void a_first_start_lists_its_classes_and_its_normal_stop_makes_the_archive_the_next_start_maps() throws Exception {
        ClassDataArchive first = archive(List.of(), Map.of());
        assertThat(first.flags()).anySatisfy(flag -> assertThat(flag).startsWith("-XX:DumpLoadedClassList="));
        assertThat(run(jar, first.flags())).isZero();

        first.writeAfterStop(143, JAVA, SERVICE_OPTIONS);

        assertThat(cds.resolve("admit-service.jsa")).isNotEmptyFile();
        assertThat(cds.resolve("admit-service.classlist")).doesNotExist();
        assertThat(cds.resolve("admit-service.jsa.partial")).doesNotExist();
        List<String> second = flags(List.of(), Map.of());
        assertThat(second).contains("-XX:SharedArchiveFile=" + cds.resolve("admit-service.jsa"));
        assertThat(run(jar, second, "-Xshare:on"))
                .as("a JVM that must map the archive starts with it")
                .isZero();
    }

    @Test
    void a_service_that_did_not_stop_normally_leaves_no_archive() throws Exception {
        for (int status : List.of(1, 134, 137)) {
            ClassDataArchive first = archive(List.of(), Map.of());
            assertThat(run(jar, first.flags())).isZero();

            first.writeAfterStop(status, JAVA, SERVICE_OPTIONS);

            assertThat(cds.resolve("admit-service.jsa")).as("status %d", status).doesNotExist();
            assertThat(cds.resolve("admit-service.classlist")).doesNotExist();
            assertThat(flags(List.of(), Map.of()))
                    .anySatisfy(flag -> assertThat(flag).startsWith("-XX:DumpLoadedClassList="));
        }
    }

    @Test
    void a_jar_replaced_while_the_service_ran_leaves_no_archive() throws Exception {
        ClassDataArchive first = archive(List.of(), Map.of());
        assertThat(run(jar, first.flags())).isZero();
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));

        first.writeAfterStop(0, JAVA, SERVICE_OPTIONS);

        assertThat(cds.resolve("admit-service.jsa")).doesNotExist();
    }

    @Test
    void a_dump_that_fails_leaves_no_archive_and_no_partial_file() throws Exception {
        ClassDataArchive first = archive(List.of(), Map.of());
        assertThat(run(jar, first.flags())).isZero();

        first.writeAfterStop(0, JAVA, List.of("-XX:+NoSuchOptionOfTheJvm"));

        assertThat(cds.resolve("admit-service.jsa")).doesNotExist();
        assertThat(cds.resolve("admit-service.jsa.partial")).doesNotExist();
        assertThat(cds.resolve("admit-service.classlist")).doesNotExist();
    }

    @Test
    void a_jvm_with_an_agent_or_a_flight_recording_from_its_start_goes_without_the_archive() {
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
    void options_from_the_environment_count_as_the_command_lines() {
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            assertThat(flags(List.of(), Map.of(variable, " -Dx=1  -javaagent:agent.jar ")))
                    .as(variable)
                    .isEmpty();
        }
        assertThat(flags(List.of(), Map.of("JAVA_TOOL_OPTIONS", "-Dfile.encoding=UTF-8")))
                .isNotEmpty();
    }

    @Test
    void the_switch_turns_it_off() {
        assertThat(flags(List.of(), Map.of(ClassDataArchive.SWITCH, "off"))).isEmpty();
    }
}
