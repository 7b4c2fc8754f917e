package dev.admit.spring.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Refuses to start the API server on libraries older than it was built for, before any of their classes is used.
 * A Spring Boot parent pins Netty 4.1 and, without Admit's BOM, Maven's nearest-wins resolution can pick older
 * protobuf and gRPC runtimes; each fails later and obscurely (a {@code NoClassDefFoundError} from generated code).
 * The message names the property or the BOM that fixes it. Only where {@code admit-api} is on the classpath and the
 * server is not switched off.
 */
public class ServerRuntimeVersions implements EnvironmentPostProcessor {

    static final Version NETTY = Version.parse("4.2.0");
    static final Version PROTOBUF = Version.parse("4.33.5");
    static final Version GRPC = Version.parse("1.83.1");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ClassLoader loader = application.getClassLoader();
        if (!ClassUtils.isPresent("dev.admit.api.server.AdmitServer", loader)
                || !environment.getProperty("admit.server.enabled", Boolean.class, true)) {
            return;
        }
        List<String> problems = problems(
                nettyVersion(loader),
                protobufVersion(loader),
                staticString(loader, "io.grpc.internal.GrpcUtil", "IMPLEMENTATION_VERSION"));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Admit's API server cannot run on this classpath: "
                    + String.join("; ", problems)
                    + ". Or set admit.server.enabled=false to run without the server.");
        }
    }

    /** What is wrong with the versions found (empty when nothing is); an absent library counts as too old. */
    static List<String> problems(Optional<String> netty, Optional<String> protobuf, Optional<String> grpc) {
        List<String> problems = new ArrayList<>();
        if (tooOld(netty, NETTY)) {
            problems.add("Netty is " + netty.orElse("missing") + ", Armeria needs " + NETTY
                    + " or later: set the property <netty.version>4.2.7.Final</netty.version> in your pom.xml"
                    + " (Spring Boot's parent pins 4.1)");
        }
        if (tooOld(protobuf, PROTOBUF)) {
            problems.add("protobuf-java is " + protobuf.orElse("3.x or missing") + ", Admit's generated code needs "
                    + PROTOBUF + " or later: import dev.admit:admit-bom in <dependencyManagement>");
        }
        if (tooOld(grpc, GRPC)) {
            problems.add("gRPC is " + grpc.orElse("missing") + ", Admit needs " + GRPC
                    + " or later: import dev.admit:admit-bom in <dependencyManagement>");
        }
        return problems;
    }

    private static boolean tooOld(Optional<String> found, Version needed) {
        return found.map(Version::parse)
                .map(version -> version.compareTo(needed) < 0)
                .orElse(true);
    }

    /** Netty's own account of its artifacts' versions (reflectively: the server may run without Netty). */
    private static Optional<String> nettyVersion(ClassLoader loader) {
        try {
            Class<?> version = ClassUtils.forName("io.netty.util.Version", loader);
            Map<?, ?> artifacts =
                    (Map<?, ?>) version.getMethod("identify", ClassLoader.class).invoke(null, loader);
            Object common = artifacts.get("netty-common");
            return common == null
                    ? Optional.empty()
                    : Optional.of((String) version.getMethod("artifactVersion").invoke(common));
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** Protobuf 4 names its runtime version in {@code RuntimeVersion}; protobuf 3 has no such class. */
    private static Optional<String> protobufVersion(ClassLoader loader) {
        String type = "com.google.protobuf.RuntimeVersion";
        Optional<String> major = staticString(loader, type, "MAJOR");
        Optional<String> minor = staticString(loader, type, "MINOR");
        Optional<String> patch = staticString(loader, type, "PATCH");
        if (major.isEmpty() || minor.isEmpty() || patch.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(major.get() + "." + minor.get() + "." + patch.get());
    }

    /** A static field's value read reflectively: compile-time constants would be those Admit was built with. */
    private static Optional<String> staticString(ClassLoader loader, String type, String field) {
        try {
            Object value = ClassUtils.forName(type, loader).getField(field).get(null);
            return Optional.ofNullable(value).map(String::valueOf);
        } catch (ReflectiveOperationException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** A dotted version's leading numbers: {@code 4.2.7.Final} is 4.2.7. */
    record Version(int major, int minor, int patch) implements Comparable<Version> {

        static Version parse(String text) {
            String[] parts = text.split("[.-]");
            return new Version(number(parts, 0), number(parts, 1), number(parts, 2));
        }

        private static int number(String[] parts, int index) {
            if (index >= parts.length) {
                return 0;
            }
            String digits = parts[index].replaceAll("\\D.*", "");
            return digits.isEmpty() ? 0 : Integer.parseInt(digits);
        }

        @Override
        public int compareTo(Version other) {
            int byMajor = Integer.compare(major, other.major);
            if (byMajor != 0) {
                return byMajor;
            }
            int byMinor = Integer.compare(minor, other.minor);
            return byMinor != 0 ? byMinor : Integer.compare(patch, other.patch);
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }
}
