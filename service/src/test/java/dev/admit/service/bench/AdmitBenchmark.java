package dev.admit.service.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryOptions;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.admit.api.server.CoalescedFlushes;
import dev.admit.core.password.PasswordHasher;
import dev.admit.core.password.PasswordSettings;
import dev.admit.domain.crypto.CodeCipher;
import dev.admit.domain.crypto.KeyRing;
import dev.admit.domain.invite.InviteCodeGenerator;
import dev.admit.domain.invite.InviteCodePolicy;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.projection.UsersProjectionReplay;
import dev.admit.service.AdmitApplication;
import dev.admit.wire.user.v2.Password;
import dev.admit.wire.user.v2.SetPasswordRequest;
import dev.admit.wire.user.v2.UserServiceGrpc;
import dev.admit.wire.user.v2.VerifyInviteCodeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.awt.Color;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole benchmark: a real PostgreSQL 17, the packaged service started as its own process against it, load over
 * JSON and gRPC, the raw-JDBC ceiling on the same database, a projection rebuild against a raw sequential read, and
 * throughput with a small store against a large one. Writes results.json, results.md and chart.png.
 */
final class AdmitBenchmark {

    private final BenchSettings settings;
    private final byte[] key = KeyRing.newRawKey(new SecureRandom());
    private final String hmacSecret = Base64.getEncoder().encodeToString(KeyRing.newRawKey(new SecureRandom()));
    private final InviteCodes inviteCodes = new InviteCodes(
            InviteCodePolicy.DEFAULT,
            new InviteCodeGenerator(new SecureRandom()),
            new CodeCipher(KeyRing.of("bench", Map.of("bench", key)), new SecureRandom()));
    private final Map<String, Object> results = new LinkedHashMap<>();

    /**
     * Growth points are short (a pool of 5,000 users lasts about 4 s) and this machine's cores are shared, so each
     * store is measured this many times and the medians are compared.
     */
    private static final int GROWTH_ROUNDS = 3;

    /** The JIT is taken as warm when its compiler threads use less than this share of one core. */
    private static final double QUIET_COMPILER_SHARE = 0.03;

    AdmitBenchmark(BenchSettings settings) {
        this.settings = settings;
    }

    Map<String, Object> run() throws Exception {
        Path out = settings.outputDirectory();
        Files.createDirectories(out);
        Path pgDir = out.resolve("pg");
        deleteRecursively(pgDir);
        deleteRecursively(out.resolve("data"));
        EmbeddedPostgres.Builder database = EmbeddedPostgres.builder();
        if (settings.statements()) {
            database.setServerConfig("shared_preload_libraries", StatementStats.LIBRARY);
        }
        try (EmbeddedPostgres postgres = database.setDataDirectory(pgDir)
                        .setCleanDataDirectory(true)
                        .setRegisterShutdownHook(false)
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("max_connections", "300")
                        .start();
                HikariDataSource db = pool(postgres.getJdbcUrl("postgres", "postgres"), 70)) {
            String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
            // start-up is the service's alone: not shared with the fresh database's first checkpoint or this JVM's
            // own start (one run's start-up read 10.4 s against 7.0-8.0 s for the same jar on a quiet machine)
            settle(db);
            awaitQuietMachine();
            // the first start of a build migrates the schema and writes the class-data archive at its stop; start-up
            // is that of the next one, as every later restart of a deployed build starts
            ServiceProcess first = ServiceProcess.start(
                    settings.jar(), out.resolve("data"), jdbcUrl, key, hmacSecret, settings.serviceArguments());
            results.put("first_startup_s", first.startupSeconds());
            first.stop();
            awaitQuietMachine();
            ServiceProcess service = ServiceProcess.start(
                    settings.jar(), out.resolve("data"), jdbcUrl, key, hmacSecret, settings.serviceArguments());
            try {
                results.put("startup_s", service.startupSeconds());
                Seeder seeder = new Seeder(db, inviteCodes, "bench-");
                List<LoadRunner.Point> growthSmall = new ArrayList<>();
                long smallEvents = 0;
                if (settings.runs("verify") || settings.runs("growth") || settings.runs("passwords")) {
                    Map<String, Object> warmUp = new LinkedHashMap<>();
                    warmUp.put("json", warmUp(service, seeder, db, true));
                    warmUp.put("grpc", warmUp(service, seeder, db, false));
                    results.put("warm_up", warmUp);
                }
                if (settings.runs("growth")) {
                    // the warm-up's events go, so that each small point runs on a store of its own size; the
                    // service does not mind: its processor goes on from its position, past the emptied range
                    for (int round = 0; round < GROWTH_ROUNDS; round++) {
                        awaitProjection(db);
                        forgetStoredEvents(db);
                        List<Seeder.Invited> small = seeder.invitedUsers(settings.growthSmallUsers());
                        awaitProjection(db);
                        smallEvents = count(db, "SELECT count(*) FROM admit.domain_event_entry");
                        settle(db);
                        growthSmall.add(growthPoint(service, small));
                    }
                }
                if (settings.runs("verify")) {
                    verify(db, service, seeder);
                }
                if (settings.runs("passwords")) {
                    results.put("passwords", passwords(db, service, seeder));
                }
                if (settings.runs("growth") || settings.runs("rebuild")) {
                    seeder.completedUsers(settings.rebuildUsers());
                    awaitProjection(db);
                }
                if (settings.runs("growth")) {
                    List<LoadRunner.Point> growthLarge = new ArrayList<>();
                    long largeEvents = 0;
                    for (int round = 0; round < GROWTH_ROUNDS; round++) {
                        List<Seeder.Invited> large = seeder.invitedUsers(settings.growthSmallUsers());
                        awaitProjection(db);
                        largeEvents = count(db, "SELECT count(*) FROM admit.domain_event_entry");
                        settle(db);
                        growthLarge.add(growthPoint(service, large));
                    }
                    double small = medianThroughput(growthSmall);
                    double large = medianThroughput(growthLarge);
                    Map<String, Object> growth = new LinkedHashMap<>();
                    growth.put("small_events", smallEvents);
                    growth.put("large_events", largeEvents);
                    growth.put("small_throughput", round(small));
                    growth.put("large_throughput", round(large));
                    growth.put("small_rounds", throughputs(growthSmall));
                    growth.put("large_rounds", throughputs(growthLarge));
                    growth.put("small_measured_s", round(growthSmall.get(0).seconds()));
                    growth.put("large_measured_s", round(growthLarge.get(0).seconds()));
                    growth.put("throughput_ratio", round(large / Math.max(1e-9, small)));
                    results.put("growth", growth);
                }
            } finally {
                service.stop();
            }
            if (settings.runs("rebuild")) {
                results.put("rebuild", rebuild(db, jdbcUrl, settings.statements() ? new StatementStats(db) : null));
            }
        }
        results.put("machine", machine());
        results.put("quick", settings.quick());
        write(out);
        return results;
    }

    /**
     * Loads the service over one protocol, round after round, until its JIT compiler threads go quiet (under
     * {@link #QUIET_COMPILER_SHARE} of a core through a round) or the rounds run out. Measured with one fixed
     * 40-second warm-up, the compilers still took a tenth of the machine through the first points: both cores are
     * busy, so the compiler's queue drains slowly, and the points measured the JIT as much as the service.
     */
    private Map<String, Object> warmUp(ServiceProcess service, Seeder seeder, HikariDataSource db, boolean overJson)
            throws Exception {
        Map<String, Object> warmUp = new LinkedHashMap<>();
        double compilerShare = 1;
        int round = 0;
        while (round < settings.serviceWarmUpRounds() && compilerShare >= QUIET_COMPILER_SHARE) {
            round++;
            List<Seeder.Invited> pool = seeder.invitedUsers(settings.serviceWarmUpUsers());
            awaitProjection(db);
            CpuTimes before = CpuTimes.now(service.pid());
            long start = System.nanoTime();
            if (overJson) {
                json(service, 16, pool, Duration.ZERO, settings.serviceWarmUp());
            } else {
                grpc(service, 16, pool, Duration.ZERO, settings.serviceWarmUp());
            }
            double elapsedMs = (System.nanoTime() - start) / 1e6;
            compilerShare = CpuTimes.now(service.pid()).since(before).serviceCompilerMs() / elapsedMs;
        }
        warmUp.put("rounds", round);
        warmUp.put("round_s", settings.serviceWarmUp().toSeconds());
        warmUp.put("last_round_compiler_share_of_a_core", round(compilerShare));
        return warmUp;
    }

    /** One measured load: its point, where the CPU went, the resident memory seen. */
    private record Measured(LoadRunner.Point point, CpuTimes cpu, double rssMb, List<Map<String, Object>> statements) {}

    /**
     * Every protocol at every concurrency against the raw ceiling at the same concurrency. A round measures the raw
     * ceiling, JSON and gRPC one after the other, so a ratio compares loads seconds apart on the same machine; each
     * point reports its median round by ratio ({@link BenchSettings#repeats()}), with every round's ratio beside it.
     */
    private void verify(HikariDataSource db, ServiceProcess service, Seeder seeder) throws Exception {
        List<Map<String, Object>> verify = new ArrayList<>();
        RawVerify rawVerify = new RawVerify(db, seeder);
        StatementStats statements = settings.statements() ? new StatementStats(db) : null;
        double rss = 0;
        Map<String, Map<Integer, List<Measured[]>>> rounds = new LinkedHashMap<>();
        for (String protocol : List.of("json", "grpc")) {
            rounds.put(protocol, new LinkedHashMap<>());
        }
        for (int concurrency : settings.concurrencies()) {
            for (int round = 0; round < settings.repeats(); round++) {
                Measured raw = measure(db, service, seeder, statements, concurrency, "raw", rawVerify);
                for (String protocol : List.of("json", "grpc")) {
                    Measured measured = measure(db, service, seeder, statements, concurrency, protocol, rawVerify);
                    rss = Math.max(rss, measured.rssMb());
                    rounds.get(protocol)
                            .computeIfAbsent(concurrency, c -> new ArrayList<>())
                            .add(new Measured[] {measured, raw});
                }
            }
        }
        for (String protocol : List.of("json", "grpc")) {
            for (int concurrency : settings.concurrencies()) {
                List<Measured[]> measured = new ArrayList<>(rounds.get(protocol).get(concurrency));
                measured.sort(java.util.Comparator.comparingDouble(pair -> ratio(pair[0].point(), pair[1].point())));
                Measured[] median = measured.get(measured.size() / 2);
                LoadRunner.Point point = median[0].point();
                LoadRunner.Point ceiling = median[1].point();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("protocol", protocol);
                row.put("concurrency", concurrency);
                row.put("throughput", round(point.throughput()));
                row.put("p50_ms", round(point.p50Ms()));
                row.put("p95_ms", round(point.p95Ms()));
                row.put("p99_ms", round(point.p99Ms()));
                row.put(
                        "errors",
                        measured.stream()
                                .mapToLong(pair -> pair[0].point().errors())
                                .sum());
                row.put("raw_throughput", round(ceiling.throughput()));
                row.put("raw_p50_ms", round(ceiling.p50Ms()));
                row.put("raw_p99_ms", round(ceiling.p99Ms()));
                row.put("ratio", round(ratio(point, ceiling)));
                row.put("rounds", measured.size());
                row.put(
                        "round_ratios",
                        rounds.get(protocol).get(concurrency).stream()
                                .map(pair -> round(ratio(pair[0].point(), pair[1].point())))
                                .toList());
                row.put("cpu_ms_per_request", cpuPerRequest(median[0].cpu(), point));
                row.put("raw_cpu_ms_per_request", cpuPerRequest(median[1].cpu(), ceiling));
                if (statements != null) {
                    row.put("db_statements", median[0].statements());
                    row.put("raw_db_statements", median[1].statements());
                }
                verify.add(row);
            }
        }
        results.put("verify", verify);
        results.put("rss_mb", round(rss));
        Map<String, Object> single = new LinkedHashMap<>();
        for (Map<String, Object> row : verify) {
            if (Integer.valueOf(1).equals(row.get("concurrency"))) {
                Map<String, Object> summary = new LinkedHashMap<>();
                for (String field :
                        List.of("throughput", "p50_ms", "p99_ms", "raw_throughput", "raw_p50_ms", "ratio")) {
                    summary.put(field, row.get(field));
                }
                single.put((String) row.get("protocol"), summary);
            }
        }
        if (!single.isEmpty()) {
            results.put("verify_1", single);
        }
    }

    private Measured measure(
            HikariDataSource db,
            ServiceProcess service,
            Seeder seeder,
            StatementStats statements,
            int concurrency,
            String protocol,
            RawVerify rawVerify)
            throws Exception {
        List<Seeder.Invited> pool = seeder.invitedUsers(settings.poolFor(settings.point()));
        awaitProjection(db);
        settle(db);
        if (statements != null) {
            statements.reset();
        }
        RssSampler sampler = RssSampler.start(service.launchedPid());
        CpuTimes before = CpuTimes.now(service.pid());
        LoadRunner.Point point = switch (protocol) {
            case "raw" -> LoadRunner.run(concurrency, settings.warmUp(), settings.point(), pool, rawVerify);
            case "json" -> json(service, concurrency, pool);
            default -> grpc(service, concurrency, pool);
        };
        CpuTimes cpu = CpuTimes.now(service.pid()).since(before);
        double rss = sampler.stop();
        return new Measured(point, cpu, rss, statements == null ? null : statements.top(point.attempted()));
    }

    private static double ratio(LoadRunner.Point point, LoadRunner.Point ceiling) {
        return point.throughput() / Math.max(1e-9, ceiling.throughput());
    }

    /** Where a point's CPU went, per request sent: the service, the database, and this load generator. */
    private static Map<String, Object> cpuPerRequest(CpuTimes cpu, LoadRunner.Point point) {
        double requests = Math.max(1, point.attempted());
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("service", round(cpu.serviceMs() / requests));
        split.put("service_jit_compiler", round(cpu.serviceCompilerMs() / requests));
        split.put("database", round(cpu.databaseMs() / requests));
        split.put("load", round(cpu.clientMs() / requests));
        return split;
    }

    /**
     * Verify at 16 callers alone and while 16 other callers set passwords, round after round on each protocol, with
     * the flood's own rate and the service's CPU per password set beside it, and the cost of one hash in this JVM with
     * the service's default settings.
     */
    private Map<String, Object> passwords(HikariDataSource db, ServiceProcess service, Seeder seeder) throws Exception {
        Map<String, Object> passwords = new LinkedHashMap<>();
        passwords.put("hash_ms", hashCost());
        // the flood sets the passwords of these users over and over; any existing user will do
        List<Seeder.Invited> targets = seeder.invitedUsers(PASSWORD_TARGETS);
        awaitProjection(db);
        List<Seeder.Invited> flood = cycling(targets);
        settle(db);
        CpuTimes before = CpuTimes.now(service.pid());
        LoadRunner.Point alone = setPasswords(service, flood, settings.warmUp(), settings.point());
        CpuTimes floodCpu = CpuTimes.now(service.pid()).since(before);
        Map<String, Object> setAlone = new LinkedHashMap<>();
        setAlone.put("callers", 16);
        setAlone.put("throughput", round(alone.throughput()));
        setAlone.put("p50_ms", round(alone.p50Ms()));
        setAlone.put("p99_ms", round(alone.p99Ms()));
        setAlone.put("refused", alone.errors());
        setAlone.put("cpu_ms_per_request", cpuPerRequest(floodCpu, alone));
        passwords.put("set_password_alone", setAlone);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String protocol : List.of("json", "grpc")) {
            List<LoadRunner.Point[]> rounds = new ArrayList<>();
            for (int round = 0; round < settings.repeats(); round++) {
                LoadRunner.Point verifyAlone = verifyPoint(db, service, seeder, protocol);
                List<Seeder.Invited> pool = seeder.invitedUsers(settings.poolFor(settings.point()));
                awaitProjection(db);
                settle(db);
                java.util.concurrent.CompletableFuture<LoadRunner.Point> flooding =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                return setPasswords(service, flood, settings.warmUp(), settings.point());
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                            }
                        });
                LoadRunner.Point verifyLoaded =
                        "json".equals(protocol) ? json(service, 16, pool) : grpc(service, 16, pool);
                LoadRunner.Point floodPoint = flooding.join();
                rounds.add(new LoadRunner.Point[] {verifyLoaded, verifyAlone, floodPoint});
            }
            List<Double> roundRatios =
                    rounds.stream().map(r -> round(ratio(r[0], r[1]))).toList();
            List<LoadRunner.Point[]> sorted = new ArrayList<>(rounds);
            sorted.sort(java.util.Comparator.comparingDouble(r -> ratio(r[0], r[1])));
            LoadRunner.Point[] median = sorted.get(sorted.size() / 2);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("protocol", protocol);
            row.put("verify_alone", round(median[1].throughput()));
            row.put("verify_with_passwords", round(median[0].throughput()));
            row.put("p99_ms_alone", round(median[1].p99Ms()));
            row.put("p99_ms_with_passwords", round(median[0].p99Ms()));
            row.put(
                    "verify_errors",
                    rounds.stream().mapToLong(r -> r[0].errors()).sum());
            row.put("passwords_set_per_s", round(median[2].throughput()));
            row.put("passwords_refused", median[2].errors());
            row.put("ratio", round(ratio(median[0], median[1])));
            row.put("round_ratios", roundRatios);
            rows.add(row);
        }
        passwords.put("verify_under_password_load", rows);
        return passwords;
    }

    /** How long a password caller waits after a RESOURCE_EXHAUSTED before it sends again. */
    private static final long REFUSED_BACKOFF_MS = 200;

    /** Users whose passwords the benchmark's flood sets. */
    private static final int PASSWORD_TARGETS = 64;

    private LoadRunner.Point verifyPoint(HikariDataSource db, ServiceProcess service, Seeder seeder, String protocol)
            throws Exception {
        List<Seeder.Invited> pool = seeder.invitedUsers(settings.poolFor(settings.point()));
        awaitProjection(db);
        settle(db);
        return "json".equals(protocol) ? json(service, 16, pool) : grpc(service, 16, pool);
    }

    /** {@code users} over and over, long enough for any point. */
    private static List<Seeder.Invited> cycling(List<Seeder.Invited> users) {
        return new java.util.AbstractList<>() {
            @Override
            public Seeder.Invited get(int index) {
                return users.get(index % users.size());
            }

            @Override
            public int size() {
                return Integer.MAX_VALUE;
            }
        };
    }

    /** 16 callers setting passwords over gRPC, as an admin does without verification; a refusal counts as an error. */
    private LoadRunner.Point setPasswords(
            ServiceProcess service, List<Seeder.Invited> users, Duration warmUp, Duration length)
            throws InterruptedException {
        ManagedChannel channel = plaintextChannel(service);
        try {
            UserServiceGrpc.UserServiceBlockingStub stub = adminStub(channel);
            AtomicLong sent = new AtomicLong();
            return LoadRunner.run(16, warmUp, length, users, user -> {
                try {
                    stub.setPassword(SetPasswordRequest.newBuilder()
                            .setUserId(user.userId())
                            .setNewPassword(
                                    Password.newBuilder().setPassword("Bench-" + sent.incrementAndGet() + "-pass!"))
                            .build());
                } catch (io.grpc.StatusRuntimeException refused) {
                    if (refused.getStatus().getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED) {
                        // as a client with gRPC's retry policy does: back off before trying again
                        Thread.sleep(REFUSED_BACKOFF_MS);
                    }
                    throw refused;
                }
            });
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Milliseconds per hash with the service's default settings (argon2id) and with bcrypt, medians in this JVM. */
    private static Map<String, Object> hashCost() {
        Map<String, Object> cost = new LinkedHashMap<>();
        PasswordSettings defaults = PasswordSettings.defaults();
        for (PasswordSettings.Algorithm algorithm : PasswordSettings.Algorithm.values()) {
            PasswordHasher hasher = new PasswordHasher(defaults.withAlgorithm(algorithm));
            double[] ms = new double[HASH_SAMPLES];
            for (int i = -HASH_SAMPLES / 2; i < HASH_SAMPLES; i++) {
                long start = System.nanoTime();
                hasher.hash("Bench-cost-" + i + "!");
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - start) / 1e6;
                }
            }
            java.util.Arrays.sort(ms);
            cost.put(algorithm.name().toLowerCase(java.util.Locale.ROOT), round(ms[ms.length / 2]));
        }
        return cost;
    }

    /** Hashes timed per algorithm, after half as many untimed. */
    private static final int HASH_SAMPLES = 20;

    private static void forgetStoredEvents(DataSource db) throws Exception {
        try (var connection = db.getConnection();
                var statement = connection.createStatement()) {
            statement.execute(
                    "TRUNCATE admit.domain_event_entry, admit.snapshot_event_entry, admit.users, admit.username_claim");
        }
    }

    /** Waits (at most 30 s) until the machine's cores are at least 90 % idle over half a second. */
    private static void awaitQuietMachine() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long[] before = CpuTimes.machineTicks();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long[] after = CpuTimes.machineTicks();
            long total = after[0] - before[0];
            long idle = after[1] - before[1];
            before = after;
            if (total > 0 && idle >= 0.9 * total) {
                return;
            }
        }
    }

    /** Lets the database finish the work a seeding left behind, so a point does not pay for the previous one. */
    private static void settle(DataSource db) throws Exception {
        try (var connection = db.getConnection();
                var statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE");
            statement.execute("CHECKPOINT");
        }
    }

    /**
     * A growth point: 16 callers over JSON on a pool as large as the small store's users, with a one-second
     * warm-up (the JIT is warm by then), the same on both stores. The small store holds only 5,000 invited users
     * (its 10,000 events); at over 1,000 verifications a second the usual 5-second warm-up used them all up. The quick
     * run's 500 last a fraction of a second, so it measures from the first call.
     */
    private LoadRunner.Point growthPoint(ServiceProcess service, List<Seeder.Invited> pool)
            throws InterruptedException {
        return json(service, 16, pool, settings.quick() ? Duration.ZERO : Duration.ofSeconds(1), settings.point());
    }

    private LoadRunner.Point json(ServiceProcess service, int concurrency, List<Seeder.Invited> pool)
            throws InterruptedException {
        return json(service, concurrency, pool, settings.warmUp(), settings.point());
    }

    private LoadRunner.Point json(
            ServiceProcess service, int concurrency, List<Seeder.Invited> pool, Duration warmUp, Duration length)
            throws InterruptedException {
        // Armeria's HTTP/1.1 client, one keep-alive connection per caller: measured with java.net.http, the load
        // generator took 0.4-0.5 ms of CPU per JSON request (gRPC's client 0.13-0.17) from the cores it shares with
        // the service, and each point left a selector thread and a pool of four behind. Each request's head and body
        // go in one write, as curl and browsers send them (Armeria's client flushes them separately: two segments,
        // and two reads for the service)
        try (ClientFactory connections = ClientFactory.builder()
                .option(ClientFactoryOptions.CHANNEL_PIPELINE_CUSTOMIZER, new CoalescedFlushes())
                .build()) {
            WebClient client = WebClient.builder("h1c://127.0.0.1:" + service.port())
                    .factory(connections)
                    .responseTimeout(Duration.ofSeconds(30))
                    .build();
            String token = "Bearer " + token();
            return LoadRunner.run(concurrency, warmUp, length, pool, user -> {
                AggregatedHttpResponse answer = client.execute(
                                RequestHeaders.builder(
                                                HttpMethod.POST, "/v2/users/" + user.userId() + "/invite_code/verify")
                                        .add(HttpHeaderNames.AUTHORIZATION, token)
                                        .contentType(MediaType.JSON_UTF_8)
                                        .build(),
                                HttpData.ofUtf8("{\"verificationCode\":\"" + user.code() + "\"}"))
                        .aggregate()
                        .join();
                if (answer.status().code() != 200) {
                    throw new IllegalStateException(
                            "verify answered " + answer.status().code());
                }
            });
        }
    }

    private static ManagedChannel plaintextChannel(ServiceProcess service) {
        return NettyChannelBuilder.forAddress("127.0.0.1", service.port())
                .usePlaintext()
                .build();
    }

    /** A blocking stub on {@code channel} that sends the admin's token with every call. */
    private UserServiceGrpc.UserServiceBlockingStub adminStub(ManagedChannel channel) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token());
        return UserServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private LoadRunner.Point grpc(ServiceProcess service, int concurrency, List<Seeder.Invited> pool)
            throws InterruptedException {
        return grpc(service, concurrency, pool, settings.warmUp(), settings.point());
    }

    private LoadRunner.Point grpc(
            ServiceProcess service, int concurrency, List<Seeder.Invited> pool, Duration warmUp, Duration length)
            throws InterruptedException {
        ManagedChannel channel = plaintextChannel(service);
        try {
            UserServiceGrpc.UserServiceBlockingStub stub = adminStub(channel);
            return LoadRunner.run(
                    concurrency,
                    warmUp,
                    length,
                    pool,
                    user -> stub.verifyInviteCode(VerifyInviteCodeRequest.newBuilder()
                            .setUserId(user.userId())
                            .setVerificationCode(user.code())
                            .build()));
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Reset and rebuild the users projection in the service's context, against a raw sequential JDBC read. */
    /** The service's heap as the README starts it ({@code ServiceJvm.FLAGS}). */
    private static final long SERVICE_HEAP_BYTES = 192L << 20;

    private Map<String, Object> rebuild(HikariDataSource db, String jdbcUrl, StatementStats statements)
            throws Exception {
        long events = count(db, "SELECT count(*) FROM admit.domain_event_entry");
        // settle the freshly written store first, so neither measurement competes with autovacuum or a checkpoint
        settle(db);
        CpuTimes readCpuStart = CpuTimes.now(0);
        long readStart = System.nanoTime();
        long read = 0;
        try (var connection = db.getConnection();
                var statement = connection.prepareStatement(
                        "SELECT global_index, payload_type, payload, meta_data, time_stamp, aggregate_identifier, "
                                + "sequence_number FROM admit.domain_event_entry WHERE global_index > ? "
                                + "ORDER BY global_index LIMIT 10000")) {
            long after = -1;
            while (true) {
                statement.setLong(1, after);
                int batch = 0;
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        after = rows.getLong(1);
                        rows.getBytes(3);
                        batch++;
                    }
                }
                read += batch;
                if (batch == 0) {
                    break;
                }
            }
        }
        double rawSeconds = (System.nanoTime() - readStart) / 1e9;
        CpuTimes readCpu = CpuTimes.now(0).since(readCpuStart);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AdmitApplication.class)
                .properties(
                        "spring.datasource.url=" + jdbcUrl,
                        "spring.datasource.username=postgres",
                        "admit.crypto.allow-generated-keys=true",
                        "spring.flyway.enabled=false",
                        "admit.server.enabled=false",
                        "admit.mail.enabled=false",
                        // this JVM's heap is larger than the service's: hold back as many rows as the service would
                        "admit.projection.rebuild-held-rows=" + UsersProjectionReplay.heldRowsFor(SERVICE_HEAP_BYTES),
                        "admit.data-dir=" + settings.outputDirectory().resolve("data"),
                        "logging.level.root=WARN",
                        "logging.level.dev.admit.projection=INFO",
                        "spring.main.banner-mode=off")
                .run()) {
            UsersProjectionReplay replay = context.getBean(UsersProjectionReplay.class);
            replay.awaitCaughtUp(Duration.ofMinutes(10));
            if (statements != null) {
                statements.reset();
            }
            CpuTimes cpuStart = CpuTimes.now(0);
            long start = System.nanoTime();
            replay.rebuild();
            replay.awaitCaughtUp(Duration.ofMinutes(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuTimes cpu = CpuTimes.now(0).since(cpuStart);
            Map<String, Object> rebuild = new LinkedHashMap<>();
            rebuild.put("events", events);
            rebuild.put("seconds", round(seconds));
            rebuild.put("events_per_s", round(events / seconds));
            rebuild.put("raw_read_events", read);
            rebuild.put("raw_read_events_per_s", round(read / rawSeconds));
            rebuild.put("ratio", round((events / seconds) / (read / rawSeconds)));
            // where the cores went: this JVM (the rebuild runs in it, as the raw reader does) and PostgreSQL
            rebuild.put("cpu_s", cpuSeconds(cpu));
            rebuild.put("raw_read_cpu_s", cpuSeconds(readCpu));
            rebuild.put("raw_read_seconds", round(rawSeconds));
            if (statements != null) {
                // the whole rebuild's database time by statement: totals, not per event
                rebuild.put("db_statements", statements.top(1));
            }
            return rebuild;
        }
    }

    private static double medianThroughput(List<LoadRunner.Point> points) {
        double[] sorted = points.stream()
                .mapToDouble(LoadRunner.Point::throughput)
                .sorted()
                .toArray();
        return sorted[sorted.length / 2];
    }

    private static List<Double> throughputs(List<LoadRunner.Point> points) {
        return points.stream().map(point -> round(point.throughput())).toList();
    }

    /** CPU seconds of this JVM (where the rebuild and the raw read run) and of PostgreSQL. */
    private static Map<String, Object> cpuSeconds(CpuTimes cpu) {
        Map<String, Object> seconds = new LinkedHashMap<>();
        seconds.put("jvm", round(cpu.clientMs() / 1000));
        seconds.put("database", round(cpu.databaseMs() / 1000));
        return seconds;
    }

    private String token() {
        try {
            Date now = new Date();
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader(JWSAlgorithm.HS256),
                    new JWTClaimsSet.Builder()
                            .subject("bench")
                            .claim("scope", "user.read user.write")
                            .issueTime(now)
                            .expirationTime(new Date(now.getTime() + 3_600_000))
                            .build());
            jwt.sign(new MACSigner(hmacSecret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the service's users projection holds a row for every stream at its length. */
    private static void awaitProjection(DataSource db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (count(db, """
                        SELECT count(*) FROM (SELECT aggregate_identifier, max(sequence_number) + 1 AS length
                              FROM admit.domain_event_entry GROUP BY aggregate_identifier) s
                        LEFT JOIN admit.users u ON u.user_id = s.aggregate_identifier
                        WHERE u.user_id IS NULL OR u.sequence < s.length""") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the users projection did not catch up");
            }
            Thread.sleep(100);
        }
    }

    private static long count(DataSource db, String sql) throws Exception {
        try (var connection = db.getConnection();
                var statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true");
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        return new HikariDataSource(config);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        try {
            machine.put(
                    "cpu",
                    Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                            .filter(line -> line.startsWith("model name"))
                            .findFirst()
                            .map(line -> line.substring(line.indexOf(':') + 1).trim())
                            .orElse("unknown"));
        } catch (IOException e) {
            machine.put("cpu", "unknown");
        }
        return machine;
    }

    @SuppressWarnings("unchecked")
    private void write(Path out) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(out.resolve("results.json").toFile(), results);
        List<Map<String, Object>> verify = (List<Map<String, Object>>) results.getOrDefault("verify", List.of());
        StringBuilder md = new StringBuilder();
        md.append("| protocol | callers | Admit /s | p50 ms | p95 ms | p99 ms | raw /s | raw p99 ms | Admit ÷ raw |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> row : verify) {
            md.append(String.format(
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.get("protocol"),
                    row.get("concurrency"),
                    row.get("throughput"),
                    row.get("p50_ms"),
                    row.get("p95_ms"),
                    row.get("p99_ms"),
                    row.get("raw_throughput"),
                    row.get("raw_p99_ms"),
                    row.get("ratio")));
        }
        Map<String, Object> rebuild = (Map<String, Object>) results.getOrDefault("rebuild", Map.of());
        Map<String, Object> growth = (Map<String, Object>) results.getOrDefault("growth", Map.of());
        md.append(String.format(
                "%n| rebuild events | rebuild events/s | raw read events/s | ratio |%n|---|---|---|---|%n| %s | %s | %s | %s |%n",
                rebuild.get("events"),
                rebuild.get("events_per_s"),
                rebuild.get("raw_read_events_per_s"),
                rebuild.get("ratio")));
        md.append(String.format(
                "%n| growth: events small | large | verify/s small | large | ratio |%n|---|---|---|---|---|%n| %s | %s | %s | %s | %s |%n",
                growth.get("small_events"),
                growth.get("large_events"),
                growth.get("small_throughput"),
                growth.get("large_throughput"),
                growth.get("throughput_ratio")));
        Map<String, Object> passwords = (Map<String, Object>) results.getOrDefault("passwords", Map.of());
        md.append("%n| verify, 16 callers | alone /s | while 16 callers set passwords /s | passwords set /s | ratio |%n"
                .formatted());
        md.append("|---|---|---|---|---|\n");
        for (Map<String, Object> row :
                (List<Map<String, Object>>) passwords.getOrDefault("verify_under_password_load", List.of())) {
            md.append(String.format(
                    "| %s | %s | %s | %s | %s |%n",
                    row.get("protocol"),
                    row.get("verify_alone"),
                    row.get("verify_with_passwords"),
                    row.get("passwords_set_per_s"),
                    row.get("ratio")));
        }
        md.append(String.format("%nms per hash: %s%n", passwords.get("hash_ms")));
        md.append(String.format(
                "%nstart-up: %s s (first start of the build: %s s); resident memory under load: %s MB; quick mode: %s;"
                        + " machine: %s%n",
                results.get("startup_s"),
                results.get("first_startup_s"),
                results.get("rss_mb"),
                results.get("quick"),
                results.get("machine")));
        Files.writeString(out.resolve("results.md"), md.toString());
        if (verify.isEmpty()) {
            return;
        }
        List<Chart.Series> series = new ArrayList<>();
        for (String protocol : List.of("json", "grpc")) {
            List<Map<String, Object>> rows = verify.stream()
                    .filter(r -> r.get("protocol").equals(protocol))
                    .toList();
            series.add(new Chart.Series(
                    "Admit " + protocol,
                    protocol.equals("json") ? new Color(0x1f77b4) : new Color(0x2ca02c),
                    rows.stream().map(r -> (Integer) r.get("concurrency")).toList(),
                    rows.stream()
                            .map(r -> ((Number) r.get("throughput")).doubleValue())
                            .toList(),
                    rows.stream()
                            .map(r -> ((Number) r.get("p99_ms")).doubleValue())
                            .toList()));
        }
        List<Map<String, Object>> jsonRows =
                verify.stream().filter(r -> r.get("protocol").equals("json")).toList();
        series.add(new Chart.Series(
                "raw JDBC",
                new Color(0xd62728),
                jsonRows.stream().map(r -> (Integer) r.get("concurrency")).toList(),
                jsonRows.stream()
                        .map(r -> ((Number) r.get("raw_throughput")).doubleValue())
                        .toList(),
                jsonRows.stream()
                        .map(r -> ((Number) r.get("raw_p99_ms")).doubleValue())
                        .toList()));
        Chart.write(out.resolve("chart.png"), "VerifyInviteCode: Admit beside the raw JDBC ceiling", series);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
