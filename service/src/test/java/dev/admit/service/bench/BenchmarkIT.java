package dev.admit.service.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs the benchmark: quick in every build (so the harness never rots; it asserts nothing about speed), full with
 * {@code -Pbench}. See docs/performance.md.
 */
class BenchmarkIT {

    @Test
    void the_benchmark_runs_end_to_end_and_writes_its_results() throws Exception {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        new AdmitBenchmark(settings).run();

        Path out = settings.outputDirectory();
        JsonNode results =
                new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(results.get("startup_s").asDouble()).isPositive();
        assertThat(Files.readString(out.resolve("results.md"))).contains("Admit ÷ raw");
        if (settings.runs("verify")) {
            assertThat(results.get("verify"))
                    .hasSize(2 * settings.concurrencies().size());
            for (JsonNode point : results.get("verify")) {
                assertThat(point.get("protocol").asText()).isIn("json", "grpc");
                assertThat(point.get("throughput").asDouble()).isPositive();
                assertThat(point.get("raw_throughput").asDouble()).isPositive();
                assertThat(point.get("errors").asLong()).isZero();
                for (String field : new String[] {"concurrency", "p50_ms", "p95_ms", "p99_ms", "raw_p99_ms", "ratio"}) {
                    assertThat(point.has(field)).as(field).isTrue();
                }
            }
            assertThat(results.get("rss_mb").asDouble()).isPositive();
            assertThat(Files.size(out.resolve("chart.png"))).isPositive();
        }
        if (settings.runs("passwords")) {
            assertThat(results.at("/passwords/hash_ms/argon2id").asDouble()).isPositive();
            assertThat(results.at("/passwords/set_password_alone/throughput").asDouble())
                    .isPositive();
            assertThat(results.at("/passwords/verify_under_password_load")).hasSize(2);
            for (JsonNode point : results.at("/passwords/verify_under_password_load")) {
                assertThat(point.get("verify_with_passwords").asDouble()).isPositive();
                assertThat(point.get("verify_errors").asLong()).isZero();
            }
        }
        if (settings.runs("rebuild")) {
            assertThat(results.at("/rebuild/events").asLong()).isPositive();
            assertThat(results.at("/rebuild/events_per_s").asDouble()).isPositive();
            assertThat(results.at("/rebuild/raw_read_events_per_s").asDouble()).isPositive();
            assertThat(results.at("/rebuild/cpu_s/database").asDouble()).isPositive();
        }
        if (settings.runs("growth")) {
            assertThat(results.at("/growth/large_events").asLong())
                    .isGreaterThan(results.at("/growth/small_events").asLong());
            assertThat(results.at("/growth/small_rounds").size()).isEqualTo(3);
            assertThat(results.at("/growth/large_rounds").size()).isEqualTo(3);
            assertThat(results.at("/growth/throughput_ratio").asDouble()).isPositive();
        }
    }
}
