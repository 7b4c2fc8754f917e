package dev.admit.service.server;

import static dev.admit.service.server.HostileWire.bytes;
import static dev.admit.service.server.HostileWire.claims;
import static dev.admit.service.server.HostileWire.frame;
import static dev.admit.service.server.HostileWire.hs256;
import static dev.admit.service.server.HostileWire.lengthDelimited;
import static dev.admit.service.server.HostileWire.raw;
import static dev.admit.service.server.HostileWire.repeat;
import static dev.admit.service.server.HostileWire.unsigned;
import static dev.admit.service.server.HostileWire.varint;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import dev.admit.api.security.AdminToken;
import dev.admit.api.server.AdmitServer;
import dev.admit.service.AdmitContextTest;
import dev.admit.spring.boot.AdmitProperties;
import dev.admit.wire.object.v2.Organization;
import dev.admit.wire.user.v2.AddHumanUserRequest;
import dev.admit.wire.user.v2.SetHumanEmail;
import dev.admit.wire.user.v2.SetHumanProfile;
import dev.admit.wire.v1.ErrorDetail;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Hostile input, table-driven: every request below is wrong in some way (broken or mistyped JSON, invalid UTF-8,
 * oversized or deeply nested bodies, missing fields, odd paths, methods and headers, bad tokens, garbled gRPC and
 * gRPC-web frames) and is sent with a real client to the real server. Each must be refused with a client error in
 * the documented shape (behaviour.md §5) and must append nothing to the event store; the service's log must hold
 * no stack trace and no invite code afterwards.
 *
 * <p>Unless a case is about authentication, it carries a valid admin token. A user with an active, returned invite
 * code exists for the paths that need a real user; no case ever sends that user a well-formed verification (which
 * would rightly append {@code invite.check.failed}). Cases that a too-lenient server might accept carry an
 * otherwise valid AddHumanUser body with a fresh email, so an acceptance shows as an appended event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class BadRequestTableTest extends AdmitContextTest {

    /** Strings a client must never see in an error. */
    private static final List<String> LEAKS =
            List.of("Exception", "at com.", "at org.", "SELECT", "INSERT", "org.postgresql", "\tat ");

    /** A Java class name (package path and type), as an exception or an internal class would show it. */
    private static final Pattern CLASS_NAME =
            Pattern.compile("\\b(?:com|org|io|java|javax|jakarta|dev)\\.[a-z0-9_]+\\.[\\w.$]+");

    /** behaviour.md §5: the google.rpc.Status codes each HTTP status may carry. */
    private static final Map<Integer, Set<Integer>> CODES_BY_HTTP_STATUS = Map.of(
            400, Set.of(3, 9),
            401, Set.of(16),
            403, Set.of(7),
            404, Set.of(5),
            405, Set.of(12),
            409, Set.of(6),
            429, Set.of(8));

    private static final String ORG = "70000000000000001";
    private static final String ADD = "/v2/users/human";
    private static final String VERIFY = "/v2/users/%U/invite_code/verify";
    private static final String CREATE = "/v2/users/%U/invite_code";
    private static final String GRPC_VERIFY = "/zitadel.user.v2.UserService/VerifyInviteCode";
    private static final String GRPC_ADD = "/zitadel.user.v2.UserService/AddHumanUser";
    private static final String JSON = "application/json";
    private static final String MARKER = "BadRequestTableTest: the table starts here";

    /** The fields of a valid AddHumanUser body with a fresh email, for composing bodies. */
    private static final String USER_FIELDS = "\"organization\":{\"orgId\":\"%O\"},"
            + "\"profile\":{\"givenName\":\"Eve\",\"familyName\":\"Hostile\"},\"email\":{\"email\":\"%E\"}";

    private static final String USER = "{" + USER_FIELDS + "}";

    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
    private static final JsonFormat.Parser STATUS_PARSER = JsonFormat.parser()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                    .add(ErrorDetail.getDescriptor())
                    .build());

    @Autowired
    AdmitServer server;

    @Autowired
    AdmitProperties properties;

    @Autowired
    JdbcTemplate jdbc;

    private World world;

    // ------------------------------------------------------------------------------------------------ fixture

    /** Everything a case needs at run time: clients, tokens, the existing user. */
    static final class World {
        final HostileWire wire;
        final String admin;
        final byte[] secret;
        final String nonce;
        final AtomicInteger emails = new AtomicInteger();
        String userId;
        String userEmail;
        String inviteCode;

        World(HostileWire wire, String admin, byte[] secret, String nonce) {
            this.wire = wire;
            this.admin = admin;
            this.secret = secret;
            this.nonce = nonce;
        }

        /** Replaces %O (organization), %U (existing user), %X (its email) and %E (a fresh email, each time). */
        String fill(String template) {
            String filled = template.replace("%O", ORG).replace("%X", userEmail == null ? "" : userEmail);
            if (userId != null) {
                filled = filled.replace("%U", userId);
            }
            while (filled.contains("%E")) {
                filled = filled.replaceFirst("%E", "eve-" + nonce + "-" + emails.incrementAndGet() + "@example.com");
            }
            return filled;
        }

        byte[] body(Object... parts) {
            Object[] filled = Arrays.stream(parts)
                    .map(part -> part instanceof String text ? fill(text) : part)
                    .toArray();
            return bytes(filled);
        }

        String token(String subject, String scope, Duration validFor) {
            return hs256(secret, claims(subject, scope, validFor).build());
        }
    }

    @BeforeAll
    void createUserWithReturnedCode() throws IOException {
        System.out.println(MARKER);
        Path dataDir = properties.dataDir();
        String admin = Files.readString(dataDir.resolve(AdminToken.TOKEN_FILE), StandardCharsets.US_ASCII)
                .trim();
        byte[] secret = Base64.getDecoder()
                .decode(Files.readString(dataDir.resolve(AdminToken.SECRET_FILE), StandardCharsets.US_ASCII)
                        .trim());
        world = new World(new HostileWire(server.port()), admin, secret, Long.toString(System.nanoTime(), 36));

        Map<String, String> headers = Map.of("Authorization", "Bearer " + admin, "Content-Type", JSON);
        String email = world.fill("%E");
        HostileWire.Answer added = world.wire.jdk(
                "POST",
                ADD,
                headers,
                world.body(
                        "{\"organization\":{\"orgId\":\"%O\"},\"profile\":{\"givenName\":\"Ada\",\"familyName\":\"Target\"},"
                                + "\"email\":{\"email\":\"" + email + "\"}}"));
        assertThat(added.status()).as(added.bodyText()).isEqualTo(200);
        world.userId = JSON_MAPPER.readTree(added.body()).get("userId").asText();
        world.userEmail = email;

        HostileWire.Answer created =
                world.wire.jdk("POST", world.fill(CREATE), headers, world.body("{\"returnCode\":{}}"));
        assertThat(created.status()).as(created.bodyText()).isEqualTo(200);
        world.inviteCode =
                JSON_MAPPER.readTree(created.body()).get("inviteCode").asText();
        assertThat(world.inviteCode).hasSize(6);
    }

    @AfterAll
    void closeClients() {
        if (world != null) {
            world.wire.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ the table

    @Order(1)
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("table")
    void a_bad_request_is_refused_in_the_documented_shape_and_appends_nothing(Bad bad) {
        long[] before = events();
        HostileWire.Answer answer = null;
        RuntimeException failure = null;
        try {
            answer = bad.send(world);
        } catch (RuntimeException e) {
            failure = e;
        }
        long[] after = events();
        String appended = "";
        if (after[0] != before[0]) {
            appended = (after[0] - before[0]) + " event(s) appended: "
                    + jdbc.queryForList(
                            "SELECT payload_type || ' on ' || aggregate_identifier FROM admit.domain_event_entry "
                                    + "WHERE global_index > ? ORDER BY global_index",
                            String.class,
                            before[1]);
            System.out.println("[bad-request] " + bad.name + " -> " + appended);
        }
        if (failure != null) {
            System.out.println("[bad-request] " + bad.name + " -> no answer: " + failure);
            throw new AssertionError(bad.name + ": no answer (" + failure + ") " + appended, failure);
        }
        report(bad, answer);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(after[0])
                .as("%s: nothing appended, but %s", bad.name, appended)
                .isEqualTo(before[0]);
        if (bad.kind.isGrpc()) {
            assertGrpcAnswer(soft, bad, answer);
        } else {
            assertJsonAnswer(soft, bad, answer);
        }
        soft.assertAll();
    }

    @Order(2)
    @Test
    void the_log_holds_no_stack_trace_and_no_invite_code(CapturedOutput output) {
        String all = output.getAll();
        int start = all.indexOf(MARKER);
        String log = start < 0 ? all : all.substring(start);
        assertThat(world.inviteCode).isNotBlank();
        assertThat(log).as("stack trace lines in the log").doesNotContain("\tat ");
        assertThat(log).as("the invite code in the log").doesNotContain(world.inviteCode);
    }

    private static void assertJsonAnswer(SoftAssertions soft, Bad bad, HostileWire.Answer answer) {
        String body = answer.bodyText();
        soft.assertThat(answer.status())
                .as("%s: HTTP status (body %s)", bad.name, abbreviate(body))
                .isIn(bad.expected);
        if (answer.status() < 400 || answer.status() > 499) {
            return; // not refused as a client error: the shape of a success or a 5xx is beside the point
        }
        soft.assertThat(answer.header("content-type"))
                .as("%s: content type", bad.name)
                .isNotNull()
                .contains("json");
        assertNoLeak(soft, bad, "the body", body);
        JsonNode tree;
        try {
            tree = JSON_MAPPER.readTree(answer.body());
        } catch (IOException e) {
            soft.fail("%s: the body is not JSON: %s", bad.name, abbreviate(body));
            return;
        }
        if (tree == null || !tree.isObject()) {
            soft.fail("%s: the body is not a JSON object: %s", bad.name, abbreviate(body));
            return;
        }
        Set<String> keys = new TreeSet<>();
        tree.fieldNames().forEachRemaining(keys::add);
        soft.assertThat(keys).as("%s: the keys of %s", bad.name, body).containsExactly("code", "details", "message");
        soft.assertThat(tree.path("code").isInt())
                .as("%s: code is an int in %s", bad.name, body)
                .isTrue();
        soft.assertThat(tree.path("message").isTextual())
                .as("%s: message is text in %s", bad.name, body)
                .isTrue();
        soft.assertThat(tree.path("details").isArray())
                .as("%s: details is a list in %s", bad.name, body)
                .isTrue();
        try {
            com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder();
            STATUS_PARSER.merge(body, status);
            soft.assertThat(status.getCode())
                    .as("%s: the code for HTTP %d in %s", bad.name, answer.status(), body)
                    .isIn(CODES_BY_HTTP_STATUS.getOrDefault(answer.status(), Set.of()));
        } catch (IOException | RuntimeException e) {
            soft.fail("%s: the body is not a google.rpc.Status: %s (%s)", bad.name, body, e.getMessage());
        }
    }

    private static void assertGrpcAnswer(SoftAssertions soft, Bad bad, HostileWire.Answer answer) {
        soft.assertThat(answer.status())
                .as("%s: HTTP status of a gRPC answer (headers %s)", bad.name, answer.headers())
                .isEqualTo(200);
        soft.assertThat(answer.grpcStatus())
                .as("%s: grpc-status (grpc-message '%s')", bad.name, decoded(answer.grpcMessage()))
                .isNotNull()
                .isIn(bad.expected);
        assertNoLeak(soft, bad, "grpc-message", decoded(answer.grpcMessage()));
    }

    private static void assertNoLeak(SoftAssertions soft, Bad bad, String where, String text) {
        for (String leak : LEAKS) {
            soft.assertThat(text).as("%s: %s leaks '%s'", bad.name, where, leak).doesNotContain(leak);
        }
        soft.assertThat(CLASS_NAME.matcher(text).results().map(m -> m.group()).toList())
                .as("%s: %s names Java classes: %s", bad.name, where, text)
                .isEmpty();
    }

    /** Count and highest global index of the event store. */
    private long[] events() {
        return jdbc.queryForObject(
                "SELECT count(*), coalesce(max(global_index), 0) FROM admit.domain_event_entry",
                (rs, row) -> new long[] {rs.getLong(1), rs.getLong(2)});
    }

    private static void report(Bad bad, HostileWire.Answer answer) {
        String what = bad.kind.isGrpc()
                ? "grpc-status=" + answer.grpcStatus() + " grpc-message=" + escape(decoded(answer.grpcMessage()))
                        + (answer.status() == 200
                                ? ""
                                : " headers=" + answer.headers() + " body=" + escape(answer.bodyText()))
                : "body=" + escape(answer.bodyText());
        System.out.println("[bad-request] " + bad.name + " -> HTTP " + answer.status() + " " + abbreviate(what));
    }

    private static String decoded(String grpcMessage) {
        if (grpcMessage == null) {
            return "";
        }
        try {
            return URLDecoder.decode(grpcMessage.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return grpcMessage;
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + " chars)";
    }

    // ------------------------------------------------------------------------------------------------ cases

    enum Kind {
        JSON_HTTP1,
        JSON_HTTP2,
        GRPC,
        GRPC_WEB;

        boolean isGrpc() {
            return this == GRPC || this == GRPC_WEB;
        }
    }

    /** One hostile request and what may come back: HTTP statuses for JSON, gRPC codes for gRPC and gRPC-web. */
    static final class Bad {
        final String name;
        final Kind kind;
        final String method;
        final String path;
        Function<World, byte[]> body;
        Function<World, String> authorization = w -> "Bearer " + w.admin;
        final Map<String, Function<World, String>> headers = new LinkedHashMap<>();
        Set<Integer> expected = Set.of();

        Bad(String name, Kind kind, String method, String path) {
            this.name = name;
            this.kind = kind;
            this.method = method;
            this.path = path;
        }

        Bad body(Object... parts) {
            this.body = w -> w.body(parts);
            return this;
        }

        Bad body(Function<World, byte[]> body) {
            this.body = body;
            return this;
        }

        Bad contentType(String contentType) {
            return header("Content-Type", contentType);
        }

        Bad header(String name, String value) {
            headers.put(name, w -> value);
            return this;
        }

        Bad auth(Function<World, String> authorization) {
            this.authorization = authorization;
            return this;
        }

        Bad expect(Integer... expected) {
            this.expected = Set.of(expected);
            return this;
        }

        HostileWire.Answer send(World w) {
            Map<String, String> sent = new LinkedHashMap<>();
            String auth = authorization == null ? null : authorization.apply(w);
            if (auth != null) {
                sent.put("Authorization", auth);
            }
            headers.forEach((name, value) -> sent.put(name, value.apply(w)));
            byte[] content = body == null ? null : body.apply(w);
            String target = w.fill(path);
            return switch (kind) {
                case JSON_HTTP1 -> w.wire.jdk(method, target, sent, content);
                case JSON_HTTP2, GRPC -> w.wire.h2c(method, target, sent, content);
                case GRPC_WEB -> w.wire.h1c(method, target, sent, content);
            };
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static Bad json(String name, String method, String path) {
        Bad bad = new Bad(name, Kind.JSON_HTTP1, method, path);
        return method.equals("GET") || method.equals("DELETE") ? bad : bad.contentType(JSON);
    }

    private static Bad post(String name, String path, Object... body) {
        return json(name, "POST", path).body(body);
    }

    private static Bad http2(String name, String path, Object... body) {
        return new Bad(name, Kind.JSON_HTTP2, "POST", path).contentType(JSON).body(body);
    }

    private static Bad grpc(String name, String rpc, Function<World, byte[]> body) {
        return new Bad(name, Kind.GRPC, "POST", rpc)
                .contentType("application/grpc+proto")
                .header("te", "trailers")
                .body(body);
    }

    private static Bad grpcWeb(String name, String contentType, Function<World, byte[]> body) {
        return new Bad(name, Kind.GRPC_WEB, "POST", GRPC_VERIFY)
                .contentType(contentType)
                .header("x-grpc-web", "1")
                .body(body);
    }

    /** A VerifyInviteCodeRequest for the existing user with {@code code} as raw bytes. */
    private static byte[] verifyMessage(World w, byte[] code) {
        return bytes(lengthDelimited(1, w.userId.getBytes(StandardCharsets.UTF_8)), lengthDelimited(2, code));
    }

    /** A valid AddHumanUserRequest with a fresh email, followed by {@code extra} raw fields (merged by parsers). */
    private static byte[] addMessage(World w, byte[] extra) {
        byte[] valid = AddHumanUserRequest.newBuilder()
                .setOrganization(Organization.newBuilder().setOrgId(ORG))
                .setProfile(SetHumanProfile.newBuilder().setGivenName("Eve").setFamilyName("Hostile"))
                .setEmail(SetHumanEmail.newBuilder().setEmail(w.fill("%E")))
                .build()
                .toByteArray();
        return bytes(valid, extra);
    }

    private static String nested(String open, String close, int depth) {
        return open.repeat(depth) + close.repeat(depth);
    }

    static List<Bad> table() {
        List<Bad> cases = new ArrayList<>();

        // ---- broken JSON
        cases.add(post(
                        "json: truncated AddHumanUser body",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},\"profile\":{\"givenName\":\"Eve\"")
                .expect(400));
        cases.add(post("json: truncated verify body for the existing user", VERIFY, "{\"verificationCode\":\"AB")
                .expect(400));
        cases.add(post("json: trailing garbage after a valid AddHumanUser body", ADD, USER + " xyz")
                .expect(400));
        cases.add(post("json: two concatenated AddHumanUser objects", ADD, USER + USER)
                .expect(400));
        cases.add(post("json: top-level array holding a valid user", ADD, "[" + USER + "]")
                .expect(400));
        cases.add(post("json: top-level string", ADD, "\"hello\"").expect(400));
        cases.add(post("json: top-level number on verify", VERIFY, "123456").expect(400));
        cases.add(post("json: top-level true", ADD, "true").expect(400));
        cases.add(
                post("json: top-level null on verify (no code)", VERIFY, "null").expect(400));
        cases.add(post("json: whitespace-only body", ADD, "   \n ").expect(400));
        cases.add(post(
                        "json: duplicate key, the last one invalid",
                        ADD,
                        "{" + USER_FIELDS + ",\"email\":{\"email\":\"not-an-address\"}}")
                .expect(400));
        cases.add(post("json: NaN in an unknown field of a valid user", ADD, "{" + USER_FIELDS + ",\"x\":NaN}")
                .expect(400));
        cases.add(post(
                        "json: -Infinity in an unknown field of a valid user",
                        ADD,
                        "{" + USER_FIELDS + ",\"x\":-Infinity}")
                .expect(400));
        cases.add(post("json: block comment before a valid user", ADD, "/* hello */" + USER)
                .expect(400));
        cases.add(post("json: line comment inside a valid user", ADD, "{// hello\n" + USER_FIELDS + "}")
                .expect(400));
        cases.add(post("json: single-quoted strings", ADD, ("{" + USER_FIELDS + "}").replace('"', '\''))
                .expect(400));
        cases.add(post(
                        "json: unquoted keys",
                        ADD,
                        "{organization:{orgId:\"%O\"},profile:{givenName:\"Eve\",familyName:\"Hostile\"},"
                                + "email:{email:\"%E\"}}")
                .expect(400));
        cases.add(post("json: trailing comma in a valid user", ADD, "{" + USER_FIELDS + ",}")
                .expect(400));
        cases.add(post("json: raw control character inside a string", ADD, USER.replace("\"Eve\"", "\"E\u0001ve\""))
                .expect(400));
        cases.add(post("json: invalid escape \\x41", ADD, USER.replace("\"Eve\"", "\"\\x41ve\""))
                .expect(400));
        cases.add(post(
                        "json: escaped lone surrogate \\ud800 in the given name",
                        ADD,
                        USER.replace("\"Eve\"", "\"E\\ud800ve\""))
                .expect(400));
        cases.add(post("json: number with leading zeros in an unknown field", ADD, "{" + USER_FIELDS + ",\"x\":007}")
                .expect(400));
        cases.add(post("json: hexadecimal number in an unknown field", ADD, "{" + USER_FIELDS + ",\"x\":0x1F}")
                .expect(400));

        // ---- wrong types
        cases.add(post(
                        "type: string where a message is expected (\"profile\":\"x\")",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},\"profile\":\"x\",\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "type: bool where a message is expected (\"email\":true)",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},"
                                + "\"profile\":{\"givenName\":\"Eve\",\"familyName\":\"Hostile\"},\"email\":true}")
                .expect(400));
        cases.add(post(
                        "type: array where a message is expected (\"profile\":[...])",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},"
                                + "\"profile\":[{\"givenName\":\"Eve\",\"familyName\":\"Hostile\"}],"
                                + "\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "type: number where a message is expected (\"organization\":5)",
                        ADD,
                        "{\"organization\":5,\"profile\":{\"givenName\":\"Eve\",\"familyName\":\"Hostile\"},"
                                + "\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "type: object where a string is expected (givenName)",
                        ADD,
                        USER.replace("\"Eve\"", "{\"first\":\"Eve\"}"))
                .expect(400));
        cases.add(post(
                        "type: array where a string is expected (email.email)",
                        ADD,
                        USER.replace("\"email\":\"%E\"", "\"email\":[\"%E\"]"))
                .expect(400));
        cases.add(post("type: number where a string is expected (givenName)", ADD, USER.replace("\"Eve\"", "1234"))
                .expect(400));
        cases.add(post(
                        "type: string where a bool is expected (isVerified)",
                        ADD,
                        USER.replace("\"email\":\"%E\"", "\"email\":\"%E\",\"isVerified\":\"yes\""))
                .expect(400));
        cases.add(post(
                        "type: object where the verification code is expected",
                        VERIFY,
                        "{\"verificationCode\":{\"code\":\"ABCDEF\"}}")
                .expect(400));
        cases.add(post(
                        "type: array where the verification code is expected",
                        VERIFY,
                        "{\"verificationCode\":[\"ABCDEF\"]}")
                .expect(400));
        cases.add(post("type: null verification code (no code)", VERIFY, "{\"verificationCode\":null}")
                .expect(400));
        cases.add(post("type: string where returnCode (a message) is expected", CREATE, "{\"returnCode\":\"yes\"}")
                .expect(400));
        cases.add(post("type: number where sendCode (a message) is expected", CREATE, "{\"sendCode\":1}")
                .expect(400));
        cases.add(post("type: both members of the verification oneof", CREATE, "{\"sendCode\":{},\"returnCode\":{}}")
                .expect(400));
        cases.add(post(
                        "type: array where a string is expected (organization.orgId)",
                        ADD,
                        USER.replace("{\"orgId\":\"%O\"}", "{\"orgId\":[\"%O\"]}"))
                .expect(400));

        // ---- invalid UTF-8 in the body
        cases.add(post(
                        "utf-8: lone continuation byte 0x80 in the code (verify)",
                        VERIFY,
                        "{\"verificationCode\":\"AB",
                        raw(0x80),
                        "CD\"}")
                .expect(400));
        cases.add(post(
                        "utf-8: overlong 2-byte '/' C0 AF in the code (verify)",
                        VERIFY,
                        "{\"verificationCode\":\"AB",
                        raw(0xC0, 0xAF),
                        "CD\"}")
                .expect(400));
        cases.add(post(
                        "utf-8: overlong 3-byte E0 80 AF in a valid user's given name",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},\"profile\":{\"givenName\":\"E",
                        raw(0xE0, 0x80, 0xAF),
                        "ve\",\"familyName\":\"Hostile\"},\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "utf-8: encoded high surrogate ED A0 80 in the code (verify)",
                        VERIFY,
                        "{\"verificationCode\":\"AB",
                        raw(0xED, 0xA0, 0x80),
                        "CD\"}")
                .expect(400));
        cases.add(post(
                        "utf-8: encoded low surrogate ED BF BF in a valid user's given name",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},\"profile\":{\"givenName\":\"E",
                        raw(0xED, 0xBF, 0xBF),
                        "ve\",\"familyName\":\"Hostile\"},\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "utf-8: encoded surrogate pair ED A0 BD ED B8 80 in the code (verify)",
                        VERIFY,
                        "{\"verificationCode\":\"A",
                        raw(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80),
                        "\"}")
                .expect(400));
        cases.add(post(
                        "utf-8: truncated 3-byte sequence E2 82 before a quote (verify)",
                        VERIFY,
                        "{\"verificationCode\":\"ABC",
                        raw(0xE2, 0x82),
                        "\"}")
                .expect(400));
        cases.add(post(
                        "utf-8: truncated 4-byte sequence F0 9F 98 at the end of the body",
                        ADD,
                        "{" + USER_FIELDS + "}",
                        raw(0xF0, 0x9F, 0x98))
                .expect(400));
        cases.add(post("utf-8: byte FF in the code (verify)", VERIFY, "{\"verificationCode\":\"AB", raw(0xFF), "\"}")
                .expect(400));
        cases.add(post(
                        "utf-8: code point above U+10FFFF (F4 90 80 80) in a valid user",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},\"profile\":{\"givenName\":\"E",
                        raw(0xF4, 0x90, 0x80, 0x80),
                        "\",\"familyName\":\"Hostile\"},\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "utf-8: 5-byte form F8 88 80 80 80 in the code (verify)",
                        VERIFY,
                        "{\"verificationCode\":\"A",
                        raw(0xF8, 0x88, 0x80, 0x80, 0x80),
                        "\"}")
                .expect(400));
        cases.add(post(
                        "utf-8: broken sequence inside an object key",
                        ADD,
                        "{\"pro",
                        raw(0xC3),
                        "file\":{\"givenName\":\"Eve\",\"familyName\":\"Hostile\"},"
                                + "\"organization\":{\"orgId\":\"%O\"},\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "utf-8: Latin-1 body declared as charset=latin1",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},\"profile\":{\"givenName\":\"Zo",
                        raw(0xE9),
                        "\",\"familyName\":\"Hostile\"},\"email\":{\"email\":\"%E\"}}")
                .contentType("application/json; charset=latin1")
                .expect(400));
        cases.add(json("utf-8: UTF-16 body declared as charset=utf-16 (a valid user otherwise)", "POST", ADD)
                .contentType("application/json; charset=utf-16")
                .body(w -> w.fill(USER).getBytes(StandardCharsets.UTF_16BE))
                .expect(400));
        cases.add(json(
                        "utf-8: overlong encoding percent-encoded in the path (GET /v2/users/%C0%AF)",
                        "GET", "/v2/users/%C0%AF")
                .expect(400, 404));
        cases.add(http2(
                        "utf-8: lone continuation byte in the code over HTTP/2 (verify)",
                        VERIFY,
                        "{\"verificationCode\":\"AB",
                        raw(0x80),
                        "CD\"}")
                .expect(400));

        // ---- huge bodies
        cases.add(post(
                        "huge: 70 KiB AddHumanUser (a valid user padded by an unknown field)",
                        ADD,
                        "{" + USER_FIELDS + ",\"padding\":\"",
                        repeat("x", 70 * 1024),
                        "\"}")
                .expect(400));
        cases.add(post("huge: 1 MiB verify body", VERIFY, "{\"verificationCode\":\"", repeat("A", 1 << 20), "\"}")
                .expect(400));
        cases.add(post(
                        "huge: 70,000-character given name",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},\"profile\":{\"givenName\":\"",
                        repeat("E", 70_000),
                        "\",\"familyName\":\"Hostile\"},\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "huge: 60,000-character given name (under the body limit)",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},\"profile\":{\"givenName\":\"",
                        repeat("E", 60_000),
                        "\",\"familyName\":\"Hostile\"},\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "huge: 40,000-character verification code (under the body limit)",
                        VERIFY,
                        "{\"verificationCode\":\"",
                        repeat("A", 40_000),
                        "\"}")
                .expect(400));
        cases.add(post(
                        "huge: 10,000 nested arrays in an unknown field of a valid user",
                        ADD,
                        "{" + USER_FIELDS + ",\"x\":" + nested("[", "]", 10_000) + "}")
                .expect(400));
        cases.add(post("huge: 10,000 nested arrays as the whole body", ADD, nested("[", "]", 10_000))
                .expect(400));
        cases.add(post("huge: 10,000 nested objects", ADD, "{\"x\":".repeat(10_000) + "1" + "}".repeat(10_000))
                .expect(400));
        cases.add(post(
                        "huge: 10,000 nested arrays as the verification code",
                        VERIFY,
                        "{\"verificationCode\":" + nested("[", "]", 10_000) + "}")
                .expect(400));
        cases.add(http2(
                        "huge: 70 KiB AddHumanUser over HTTP/2",
                        ADD,
                        "{" + USER_FIELDS + ",\"padding\":\"",
                        repeat("x", 70 * 1024),
                        "\"}")
                .expect(400));

        // ---- missing or invalid required fields
        cases.add(post("missing: empty object for AddHumanUser", ADD, "{}").expect(400));
        cases.add(post("missing: empty body for AddHumanUser", ADD, "").expect(400));
        cases.add(post("missing: no profile", ADD, "{\"organization\":{\"orgId\":\"%O\"},\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post(
                        "missing: no email",
                        ADD,
                        "{\"organization\":{\"orgId\":\"%O\"},"
                                + "\"profile\":{\"givenName\":\"Eve\",\"familyName\":\"Hostile\"}}")
                .expect(400));
        cases.add(post("missing: empty given name", ADD, USER.replace("\"Eve\"", "\"\""))
                .expect(400));
        cases.add(post(
                        "missing: no organization (token not limited to one)",
                        ADD,
                        "{\"profile\":{\"givenName\":\"Eve\",\"familyName\":\"Hostile\"},\"email\":{\"email\":\"%E\"}}")
                .expect(400));
        cases.add(post("missing: email that is not an address", ADD, USER.replace("%E", "not-an-address"))
                .expect(400));
        cases.add(post("missing: explicitly empty user_id", ADD, "{\"userId\":\"\"," + USER_FIELDS + "}")
                .expect(400));
        cases.add(post(
                        "missing: organization by org_domain",
                        ADD,
                        USER.replace("{\"orgId\":\"%O\"}", "{\"orgDomain\":\"example.com\"}"))
                .expect(400));
        cases.add(post("missing: empty object for verify", VERIFY, "{}").expect(400));
        cases.add(post("missing: empty verification code", VERIFY, "{\"verificationCode\":\"\"}")
                .expect(400));
        cases.add(post(
                        "missing: verification code of 21 code points",
                        VERIFY,
                        "{\"verificationCode\":\"" + "A".repeat(21) + "\"}")
                .expect(400));
        cases.add(
                post("missing: empty url_template on CreateInviteCode", CREATE, "{\"sendCode\":{\"urlTemplate\":\"\"}}")
                        .expect(400));
        cases.add(post(
                        "missing: application_name of 201 code points on CreateInviteCode",
                        CREATE,
                        "{\"sendCode\":{\"applicationName\":\"" + "n".repeat(201) + "\"}}")
                .expect(400));
        cases.add(json("missing: user_id of 201 code points in the path", "GET", "/v2/users/" + "1".repeat(201))
                .expect(400));
        cases.add(post(
                        "conflict: AddHumanUser with the existing user's id",
                        ADD,
                        "{\"userId\":\"%U\"," + USER_FIELDS + "}")
                .expect(409));
        cases.add(post(
                        "conflict: AddHumanUser with the existing user's username",
                        ADD,
                        "{\"username\":\"%X\"," + USER_FIELDS + "}")
                .expect(409));
        cases.add(json("not found: GetUserByID of a user that does not exist", "GET", "/v2/users/no-such-user")
                .expect(404));
        cases.add(post(
                        "not found: CreateInviteCode for a user that does not exist",
                        "/v2/users/no-such-user/invite_code",
                        "{\"returnCode\":{}}")
                .expect(404));

        // ---- odd paths and methods
        cases.add(post("path: unknown path with a valid user body", "/v2/nothing", USER)
                .expect(404));
        cases.add(json("path: unknown version GET /v3/users/{id}", "GET", "/v3/users/%U")
                .expect(404));
        cases.add(json("path: root", "GET", "/").expect(404));
        cases.add(json("path: the users collection GET /v2/users", "GET", "/v2/users")
                .expect(404));
        cases.add(post("path: trailing slash on AddHumanUser with a valid user body", ADD + "/", USER)
                .expect(404));
        cases.add(json("path: trailing slash on GetUserByID", "GET", "/v2/users/%U/")
                .expect(404));
        cases.add(post("path: leading double slash with a broken body", "/" + ADD, "{\"profile\":")
                .expect(400, 404));
        cases.add(post(
                        "path: empty user_id segment (double slash) with a broken body",
                        "/v2/users//invite_code/verify",
                        "{\"verificationCode\":")
                .expect(400, 404));
        cases.add(
                post("path: traversal /v2/users/x/../human with a broken body", "/v2/users/x/../human", "{\"profile\":")
                        .expect(400, 404));
        cases.add(post(
                        "path: traversal back into verify with a broken body",
                        "/v2/users/%U/invite_code/../invite_code/verify",
                        "{\"verificationCode\":")
                .expect(400, 404));
        cases.add(
                post("path: percent-encoded dot segments with a broken body", "/v2/users/%2e%2e/human", "{\"profile\":")
                        .expect(400, 404));
        cases.add(json("path: percent-encoded slashes in the user_id (GET)", "GET", "/v2/users/%U%2F..%2F%U")
                .expect(400, 404));
        cases.add(post(
                        "path: percent-encoded slashes towards verify with a broken body",
                        "/v2/users/%U%2Finvite_code%2Fverify",
                        "{\"verificationCode\":")
                .expect(400, 404, 405));
        cases.add(json("path: percent-encoded NUL as the user_id", "GET", "/v2/users/%00")
                .expect(400, 404));
        cases.add(json("path: a user_id with a NUL inside", "GET", "/v2/users/123%00456")
                .expect(400));
        cases.add(post(
                        "path: a NUL in the user_id of CreateInviteCode",
                        "/v2/users/1%002/invite_code",
                        "{\"returnCode\": {}}")
                .expect(400));
        cases.add(
                post("body: a NUL in the given name", ADD, "{" + USER_FIELDS.replace("\"Eve\"", "\"E\\u0000ve\"") + "}")
                        .expect(400));
        cases.add(post("body: a NUL in an explicit user_id", ADD, "{\"userId\": \"9\\u00009\", " + USER_FIELDS + "}")
                .expect(400));
        cases.add(json("path: 8 KiB path", "GET", "/v2/users/" + "7".repeat(8 * 1024))
                .expect(400, 404));
        cases.add(json("method: PUT on AddHumanUser with a valid user body", "PUT", ADD)
                .body(USER)
                .expect(405));
        cases.add(
                json("method: DELETE on GetUserByID", "DELETE", "/v2/users/%U").expect(405));
        cases.add(json("method: PATCH on CreateInviteCode with a valid body", "PATCH", CREATE)
                .body("{\"returnCode\":{}}")
                .expect(405));
        cases.add(json("method: GET on VerifyInviteCode", "GET", VERIFY).expect(405));
        cases.add(json("method: GET on ResendInviteCode", "GET", "/v2/users/%U/invite_code/resend")
                .expect(405));
        cases.add(json("method: PUT on VerifyInviteCode with a broken body", "PUT", VERIFY)
                .body("{\"verificationCode\":")
                .expect(405));
        cases.add(json("method: POST on GetUserByID's route", "POST", "/v2/users/%U")
                .body("{}")
                .expect(405));
        cases.add(json("method: TRACE on AddHumanUser", "TRACE", ADD).expect(405));
        cases.add(json("method: unknown method BREW on AddHumanUser", "BREW", ADD)
                .body(USER)
                .expect(400, 405));

        // ---- odd headers
        cases.add(post(
                        "header: Content-Type application/xml with an XML body",
                        ADD,
                        "<user><profile givenName=\"Eve\"/></user>")
                .contentType("application/xml")
                .expect(400));
        cases.add(post(
                        "header: multipart/form-data body",
                        ADD,
                        "--b\r\nContent-Disposition: form-data; name=\"profile\"\r\n\r\nEve\r\n--b--\r\n")
                .contentType("multipart/form-data; boundary=b")
                .expect(400));
        cases.add(post("header: form-urlencoded code on verify", VERIFY, "verificationCode=ABCDEF")
                .contentType("application/x-www-form-urlencoded")
                .expect(400));
        cases.add(post("header: text/plain with a truncated JSON body", ADD, "{\"profile\":{")
                .contentType("text/plain")
                .expect(400));
        cases.add(json("header: no Content-Type with a truncated JSON body", "POST", VERIFY)
                .body("{\"verificationCode\":\"A")
                .expect(400));
        cases.add(post("header: unknown charset with a truncated JSON body", ADD, "{\"profile\":")
                .contentType("application/json; charset=bogus-8")
                .expect(400));
        cases.add(post("header: Content-Encoding gzip on a body that is not gzip", VERIFY, "{\"verificationCode\":")
                .header("Content-Encoding", "gzip")
                .expect(400));
        cases.add(post("header: a 16 KiB header", ADD, USER)
                .header("X-Padding", "p".repeat(16 * 1024))
                .expect(400));
        cases.add(post(
                        "header: unframed application/protobuf garbage to the gRPC path",
                        GRPC_VERIFY,
                        raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01))
                .contentType("application/protobuf")
                .expect(400));
        cases.add(post(
                        "header: unframed application/json truncated to the gRPC path",
                        GRPC_VERIFY,
                        "{\"userId\":\"%U\",\"verificationCode\":")
                .expect(400));

        // ---- authentication and permissions
        cases.add(
                post("auth: no Authorization header", ADD, USER).auth(w -> null).expect(401));
        cases.add(post("auth: Bearer with garbage", ADD, USER)
                .auth(w -> "Bearer not.a.jwt")
                .expect(401));
        cases.add(post("auth: Bearer with nothing after it", ADD, USER)
                .auth(w -> "Bearer ")
                .expect(401));
        cases.add(post("auth: Basic credentials", ADD, USER)
                .auth(w -> "Basic YWRtaW46YWRtaW4=")
                .expect(401));
        cases.add(post("auth: token signed with another secret", ADD, USER)
                .auth(w -> "Bearer "
                        + hs256(
                                new byte[32],
                                claims("intruder", "user.read user.write", Duration.ofHours(1))
                                        .build()))
                .expect(401));
        cases.add(post("auth: expired token", ADD, USER)
                .auth(w -> "Bearer " + w.token("admit-admin", "user.read user.write", Duration.ofDays(-1)))
                .expect(401));
        cases.add(post("auth: token without exp", ADD, USER)
                .auth(w -> "Bearer " + w.token("admit-admin", "user.read user.write", null))
                .expect(401));
        cases.add(post("auth: unsigned token (alg none)", ADD, USER)
                .auth(w -> "Bearer "
                        + unsigned(claims("admit-admin", "user.read user.write", Duration.ofHours(1))
                                .build()))
                .expect(401));
        cases.add(post("auth: read-only token on AddHumanUser", ADD, USER)
                .auth(w -> "Bearer " + w.token("reader", "user.read", Duration.ofHours(1)))
                .expect(403));
        cases.add(post("auth: token without scopes on verify (empty code)", VERIFY, "{\"verificationCode\":\"\"}")
                .auth(w -> "Bearer " + w.token("nobody", null, Duration.ofHours(1)))
                .expect(403));
        cases.add(post("auth: read-only token on CreateInviteCode", CREATE, "{\"returnCode\":{}}")
                .auth(w -> "Bearer " + w.token("reader", "user.read", Duration.ofHours(1)))
                .expect(403));
        cases.add(json("auth: token limited to another organization reads the user", "GET", "/v2/users/%U")
                .auth(w -> "Bearer "
                        + hs256(
                                w.secret,
                                claims("outsider", "user.read user.write", Duration.ofHours(1))
                                        .claim("org_id", "80000000000000009")
                                        .build()))
                .expect(404));
        cases.add(post("auth: token limited to another organization adds a user to this one", ADD, USER)
                .auth(w -> "Bearer "
                        + hs256(
                                w.secret,
                                claims("outsider", "user.read user.write", Duration.ofHours(1))
                                        .claim("org_id", "80000000000000009")
                                        .build()))
                .expect(403));
        cases.add(post("auth: no token and a broken body", VERIFY, "{\"verificationCode\":")
                .auth(w -> null)
                .expect(400, 401));

        // ---- garbled gRPC frames over HTTP/2
        cases.add(grpc(
                        "grpc: length prefix bigger than the payload",
                        GRPC_VERIFY,
                        w -> frame(0, 100, verifyMessage(w, "AB".getBytes(StandardCharsets.UTF_8))))
                .expect(3, 8, 12));
        cases.add(grpc(
                        "grpc: length prefix claims 100 MiB",
                        GRPC_VERIFY,
                        w -> frame(0, 100 << 20, raw(0x0A, 0x01, 0x31)))
                .expect(3, 8));
        cases.add(grpc("grpc: truncated frame header (3 bytes)", GRPC_VERIFY, w -> raw(0, 0, 0))
                .expect(3, 8, 12));
        cases.add(grpc(
                        "grpc: compressed flag without grpc-encoding",
                        GRPC_VERIFY,
                        w -> frame(1, verifyMessage(w, "AB".getBytes(StandardCharsets.UTF_8))))
                .expect(3, 12));
        cases.add(grpc(
                        "grpc: reserved flag bits set (0x02)",
                        GRPC_VERIFY,
                        w -> frame(2, verifyMessage(w, "AB".getBytes(StandardCharsets.UTF_8))))
                .expect(3, 12));
        cases.add(grpc(
                        "grpc: gzip-flagged frame that is not gzip",
                        GRPC_VERIFY,
                        w -> frame(1, verifyMessage(w, "AB".getBytes(StandardCharsets.UTF_8))))
                .header("grpc-encoding", "gzip")
                .expect(3, 12));
        cases.add(grpc(
                        "grpc: compressed frame in an unknown grpc-encoding",
                        GRPC_VERIFY,
                        w -> frame(1, verifyMessage(w, "AB".getBytes(StandardCharsets.UTF_8))))
                .header("grpc-encoding", "x-bogus")
                .expect(12));
        cases.add(grpc(
                        "grpc: 0xFF bytes that are not a protobuf message",
                        GRPC_VERIFY,
                        w -> frame(0, raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)))
                .expect(3));
        cases.add(grpc("grpc: seeded random bytes that are not a protobuf message", GRPC_VERIFY, w -> {
                    byte[] noise = new byte[64];
                    new Random(20261125L).nextBytes(noise);
                    noise[0] = (byte) 0x0F; // field 1, wire type 7: invalid, whatever follows
                    return frame(0, noise);
                })
                .expect(3));
        cases.add(grpc(
                        "grpc: invalid UTF-8 (C0 AF) in verification_code",
                        GRPC_VERIFY,
                        w -> frame(0, verifyMessage(w, raw(0x41, 0xC0, 0xAF, 0x42))))
                .expect(3));
        cases.add(grpc(
                        "grpc: invalid UTF-8 (encoded surrogate) in a valid user's given name",
                        GRPC_ADD,
                        w -> frame(0, addMessage(w, lengthDelimited(4, lengthDelimited(1, raw(0xED, 0xA0, 0x80))))))
                .expect(3));
        cases.add(grpc(
                        "grpc: malformed varint",
                        GRPC_VERIFY,
                        w -> frame(
                                0,
                                bytes(
                                        raw(0x08),
                                        raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))))
                .expect(3));
        cases.add(grpc(
                        "grpc: string field longer than the message",
                        GRPC_VERIFY,
                        w -> frame(0, bytes(raw(0x12), varint(100), "AB")))
                .expect(3));
        cases.add(grpc(
                        "grpc: 1,000 nested unknown groups",
                        GRPC_VERIFY,
                        w -> frame(0, bytes(repeatBytes(raw(0x7B), 1000), repeatBytes(raw(0x7C), 1000))))
                .expect(3));
        cases.add(grpc(
                        "grpc: verification_code with the wrong wire type",
                        GRPC_VERIFY,
                        w -> frame(
                                0,
                                bytes(lengthDelimited(1, w.userId.getBytes(StandardCharsets.UTF_8)), raw(0x10, 0x05))))
                .expect(3));
        cases.add(grpc("grpc: two messages on a unary call", GRPC_ADD, w -> bytes(frame(0, raw()), frame(0, raw())))
                .expect(3, 12));
        cases.add(grpc("grpc: no message on a unary call", GRPC_ADD, w -> new byte[0])
                .expect(3, 12));
        cases.add(grpc("grpc: message over 64 KiB", GRPC_VERIFY, w -> frame(0, verifyMessage(w, repeat("A", 70_000))))
                .expect(8));
        cases.add(grpc("grpc: no token", GRPC_ADD, w -> frame(0, addMessage(w, raw())))
                .auth(w -> null)
                .expect(16));
        cases.add(grpc("grpc: unknown method", "/zitadel.user.v2.UserService/DeleteUser", w -> frame(0, raw()))
                .expect(12));
        cases.add(grpc("grpc: unknown service", "/zitadel.user.v9.Nothing/Call", w -> frame(0, raw()))
                .expect(12));
        cases.add(grpc(
                        "grpc: application/grpc+json with a broken JSON message",
                        GRPC_VERIFY,
                        w -> frame(0, w.body("{\"userId\":\"%U\",\"verificationCode\":")))
                .contentType("application/grpc+json")
                .expect(3));

        // ---- garbled gRPC-web over HTTP/1.1
        cases.add(grpcWeb(
                        "grpc-web: plain text instead of frames",
                        "application/grpc-web+proto",
                        w -> "hello, this is not a frame".getBytes(StandardCharsets.UTF_8))
                .expect(3, 8, 12));
        cases.add(grpcWeb(
                        "grpc-web: frame of 0xFF bytes",
                        "application/grpc-web+proto",
                        w -> frame(0, raw(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)))
                .expect(3));
        cases.add(grpcWeb(
                        "grpc-web: length prefix bigger than the payload",
                        "application/grpc-web+proto",
                        w -> frame(0, 50, verifyMessage(w, "AB".getBytes(StandardCharsets.UTF_8))))
                .expect(3, 8, 12));
        cases.add(grpcWeb(
                        "grpc-web: invalid UTF-8 (lone 0x80) in verification_code",
                        "application/grpc-web+proto",
                        w -> frame(0, verifyMessage(w, raw(0x41, 0x80, 0x42))))
                .expect(3));
        cases.add(grpcWeb(
                        "grpc-web: compressed flag without grpc-encoding",
                        "application/grpc-web+proto",
                        w -> frame(1, verifyMessage(w, "AB".getBytes(StandardCharsets.UTF_8))))
                .expect(3, 12));
        cases.add(grpcWeb(
                        "grpc-web: message over 64 KiB",
                        "application/grpc-web+proto",
                        w -> frame(0, verifyMessage(w, repeat("A", 70_000))))
                .expect(8));
        cases.add(grpcWeb(
                        "grpc-web-text: body that is not base64",
                        "application/grpc-web-text+proto",
                        w -> "!!! not base64 !!!".getBytes(StandardCharsets.US_ASCII))
                .expect(3));
        cases.add(grpcWeb(
                        "grpc-web: no token (empty code)",
                        "application/grpc-web+proto",
                        w -> frame(0, verifyMessage(w, raw())))
                .auth(w -> null)
                .expect(16));

        assertThat(cases.stream().map(c -> c.name).collect(Collectors.toSet())).hasSize(cases.size());
        assertThat(cases)
                .as("every JSON case expects a 4xx status")
                .filteredOn(c -> !c.kind.isGrpc())
                .allSatisfy(c -> assertThat(c.expected).isNotEmpty().allMatch(status -> status >= 400 && status < 500));
        return cases;
    }

    private static byte[] repeatBytes(byte[] unit, int times) {
        return bytes(IntStream.range(0, times).mapToObj(i -> unit).toArray());
    }
}
