package dev.admit.service.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.admit.domain.message.CreateInviteCodeCommand;
import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.InviteCodeSent;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.UserEvent;
import dev.admit.domain.message.VerifyInviteCodeCommand;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import dev.admit.domain.serialization.EventTypes;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.FindUserQuery;
import dev.admit.projection.UserView;
import dev.admit.service.AdmitContextTest;
import dev.admit.spring.boot.AdmitEngine;
import dev.admit.store.AdmitTables;
import dev.admit.store.stream.EventStreamExport;
import dev.admit.store.stream.EventStreamImport;
import dev.admit.store.stream.RefusedLineException;
import dev.admit.test.AdmitCommands;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * NDJSON import of event streams ({@code admit import}) into the service's own store, from what the export of
 * streams written through commands gives. The imported streams are that export with the user ids (and usernames,
 * which are unique per organization) renamed, so they are new streams of this store; the projection that runs in the
 * shared context must read them, so every stored stream starts with {@code user.human.added}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamImportTest extends AdmitContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final String ADDED = "user.human.added";

    /** The types of the source user's stream, in order. */
    private static final List<String> SOURCE_TYPES = List.of(
            ADDED,
            "user.human.invite.code.added",
            "user.human.invite.check.failed",
            "user.human.invite.check.succeeded",
            "user.human.email.verified",
            "user.human.invite.code.added",
            "user.human.invite.code.sent",
            "user.human.password.changed",
            "user.human.passwordless.token.verified",
            "user.human.externalidp.added",
            "user.human.passwordless.token.removed",
            "user.human.externalidp.removed",
            "user.human.password.check.failed",
            "user.human.password.hash.updated",
            "user.human.password.code.added",
            "user.human.password.code.check.failed",
            "user.human.password.code.sent");

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    AdmitEngine engine;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    AdmitTables tables;

    @Autowired
    dev.admit.domain.invite.InviteCodes inviteCodes;

    private OrgId org;
    /** A user written through commands (and direct appends for the types no command writes), every event type. */
    private UserId source;
    /** The source user's stream as exported. */
    private List<ObjectNode> sourceLines;

    @BeforeAll
    void writeSourceUser() throws IOException {
        org = new OrgId(Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000L, Long.MAX_VALUE)));
        source = ids.next();
        commands.sendAndWait(AdmitCommands.addHumanUser()
                .userId(source)
                .orgId(org)
                .username(usernameOf(source))
                .givenName("Grace")
                .familyName("Hopper")
                .displayName("Amazing Grace")
                .preferredLanguage("de")
                .email("grace-" + source + "@example.com")
                .build());
        String code = returnedCode(source);
        VerifyInviteCodeOutcome wrong = commands.sendAndWait(
                new VerifyInviteCodeCommand(source, OrgScope.only(org), code.equals("AAAAAA") ? "BBBBBB" : "AAAAAA"));
        assertThat(wrong).isNotInstanceOf(VerifyInviteCodeOutcome.Verified.class);
        VerifyInviteCodeOutcome right =
                commands.sendAndWait(new VerifyInviteCodeCommand(source, OrgScope.only(org), code));
        assertThat(right).isInstanceOf(VerifyInviteCodeOutcome.Verified.class);
        returnedCode(source);
        append(
                source,
                new InviteCodeSent(),
                new PasswordChanged("$argon2id$v=19$stub", false),
                new PasskeyAdded("passkey-1"),
                new IdpLinkAdded("idp-1", "external-1", "Grace at IdP"),
                new PasskeyRemoved("passkey-1"),
                new IdpLinkRemoved("idp-1", "external-1"),
                new dev.admit.domain.message.PasswordCheckFailed(),
                new dev.admit.domain.message.PasswordHashUpdated("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"),
                new dev.admit.domain.message.PasswordCodeAdded(
                        inviteCodes.passwordResetCodes().issue(source).sealed(), Duration.ofHours(1), null, true),
                new dev.admit.domain.message.PasswordCodeCheckFailed(
                        dev.admit.domain.message.PasswordCodeCheckFailed.Reason.WRONG_CODE),
                new dev.admit.domain.message.PasswordCodeSent());
        sourceLines = export(source);
        assertThat(sourceLines).extracting(line -> line.get("type").asText()).containsExactlyElementsOf(SOURCE_TYPES);
        assertThat(SOURCE_TYPES).containsAll(EventTypes.all().values());
    }

    @Test
    void streams_written_through_commands_round_trip_field_by_field_through_an_import() throws Exception {
        UserId first = ids.next();
        UserId second = ids.next();
        List<ObjectNode> input = new ArrayList<>(renamed(sourceLines, first));
        input.addAll(renamed(sourceLines, second));

        EventStreamImport.Outcome outcome = importLines(texts(input));

        assertThat(outcome).isEqualTo(new EventStreamImport.Outcome(input.size(), input.size(), 0));
        long lastSourceIndex =
                sourceLines.get(sourceLines.size() - 1).get("globalIndex").asLong();
        for (UserId copy : List.of(first, second)) {
            List<ObjectNode> exported = export(copy);
            assertThat(withoutGlobalIndex(exported))
                    .as("the export of the imported stream is the import's input, line by line")
                    .isEqualTo(withoutGlobalIndex(renamed(sourceLines, copy)));
            assertThat(exported)
                    .as("the imported events get this store's next global indexes")
                    .allSatisfy(
                            line -> assertThat(line.get("globalIndex").asLong()).isGreaterThan(lastSourceIndex));

            // event by event, as the event store reads them back
            List<? extends DomainEventMessage<?>> originals = events(source);
            List<? extends DomainEventMessage<?>> imported = events(copy);
            assertThat(imported).hasSameSizeAs(originals);
            for (int i = 0; i < originals.size(); i++) {
                DomainEventMessage<?> original = originals.get(i);
                DomainEventMessage<?> event = imported.get(i);
                assertThat(event.getAggregateIdentifier()).isEqualTo(copy.value());
                assertThat(event.getType()).isEqualTo(EventTypes.USER_AGGREGATE_TYPE);
                assertThat(event.getSequenceNumber()).isEqualTo(original.getSequenceNumber());
                assertThat(event.getTimestamp()).isEqualTo(original.getTimestamp());
                assertThat(event.getMetaData()).isEqualTo(original.getMetaData());
                assertThat(event.getPayloadType()).isEqualTo(original.getPayloadType());
                Object expected = original.getPayload();
                if (expected instanceof HumanUserAdded added) {
                    expected = new HumanUserAdded(
                            copy,
                            added.orgId(),
                            usernameOf(copy),
                            added.givenName(),
                            added.familyName(),
                            added.displayName(),
                            added.preferredLanguage(),
                            added.email());
                }
                assertThat(event.getPayload()).as("payload of event %d", i + 1).isEqualTo(expected);
            }
        }

        // the projection's processor picks the imported streams up; the rows show the imported events' details
        Instant lastTimestamp = Instant.parse(
                sourceLines.get(sourceLines.size() - 1).get("timestamp").asText());
        Map<String, Object> sourceRow = caughtUpRow(source);
        for (UserId copy : List.of(first, second)) {
            Map<String, Object> row = caughtUpRow(copy);
            assertThat(row.get("sequence")).isEqualTo((long) sourceLines.size());
            assertThat(((java.sql.Timestamp) row.get("change_date")).toInstant())
                    .as("change date: the last imported event's timestamp")
                    .isEqualTo(lastTimestamp);
            assertThat(row.get("org_id")).isEqualTo(org.value());
            assertThat(row.get("username")).isEqualTo(usernameOf(copy));
            Map<String, Object> others = new LinkedHashMap<>(row);
            Map<String, Object> sourceOthers = new LinkedHashMap<>(sourceRow);
            for (String column : List.of("user_id", "username")) {
                others.remove(column);
                sourceOthers.remove(column);
            }
            assertThat(others).as("every other column as the source user's row").isEqualTo(sourceOthers);

            UserView view = engine.userQueries()
                    .find(new FindUserQuery(copy, OrgScope.only(org)))
                    .orElseThrow();
            assertThat(view.details().sequence()).isEqualTo(sourceLines.size());
            assertThat(view.details().changeDate()).isEqualTo(lastTimestamp);
            assertThat(view.details().resourceOwner()).isEqualTo(org);
            assertThat(view.emailVerified()).isTrue();
            assertThat(view.givenName()).isEqualTo("Grace");
        }
    }

    @Test
    void importing_the_same_file_twice_stores_nothing_the_second_time() throws Exception {
        UserId copy = ids.next();
        List<String> input = texts(renamed(sourceLines, copy));

        EventStreamImport.Outcome first = importLines(input);
        List<ObjectNode> afterFirst = export(copy);
        EventStreamImport.Outcome second = importLines(input);

        assertThat(first).isEqualTo(new EventStreamImport.Outcome(input.size(), input.size(), 0));
        assertThat(second).isEqualTo(new EventStreamImport.Outcome(input.size(), 0, input.size()));
        assertThat(export(copy))
                .as("the stream, global indexes included, is as the first import left it")
                .isEqualTo(afterFirst);
        assertThat(claimsOf(copy)).containsExactly(usernameOf(copy).toLowerCase(Locale.ROOT));
    }

    @Test
    void a_refused_line_keeps_the_batches_before_it_stored_and_nothing_of_its_own() throws Exception {
        int batch = batchLines();
        int length = sourceLines.size();
        int bad = batch + 101;
        int copies = (bad + 100) / length + 1;
        List<UserId> users = new ArrayList<>();
        List<String> input = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            UserId copy = ids.next();
            users.add(copy);
            input.addAll(texts(renamed(sourceLines, copy)));
        }
        assertThat(input.size()).isGreaterThan(bad);
        String good = input.get(bad - 1);
        ObjectNode unknown = (ObjectNode) JSON.readTree(good);
        unknown.put("type", "user.human.renamed");
        input.set(bad - 1, unknown.toString());

        Throwable thrown = catchThrowable(() -> importLines(input));

        assertThat(thrown).as("the import is refused").isInstanceOf(RefusedLineException.class);
        RefusedLineException refused = (RefusedLineException) thrown;
        assertThat(refused.line()).isEqualTo(bad);
        assertThat(refused.reason()).isEqualTo("unknown event type 'user.human.renamed'");
        assertThat(refused.getMessage()).startsWith("line " + bad + ": ");
        for (int i = 0; i < copies; i++) {
            // lines 1..batch are the first batch, stored; the refused line's batch is not
            long stored = Math.max(0, Math.min(length, batch - (long) i * length));
            UserId copy = users.get(i);
            assertThat(streamLength(copy)).as("events stored of copy %d", i).isEqualTo(stored);
            assertThat(claimsOf(copy)).as("claims of copy %d", i).hasSize(stored > 0 ? 1 : 0);
        }
        // the users the first batch wrote completely reach the projection
        assertThat(caughtUpRow(users.get(0)).get("sequence")).isEqualTo((long) length);

        // the line put right, the same file again stores the rest
        input.set(bad - 1, good);
        EventStreamImport.Outcome again = importLines(input);
        assertThat(again).isEqualTo(new EventStreamImport.Outcome(input.size(), input.size() - batch, batch));
        for (UserId copy : users) {
            assertThat(streamLength(copy)).isEqualTo(length);
        }
        assertThat(caughtUpRow(users.get(copies - 1)).get("sequence")).isEqualTo((long) length);
    }

    /** A refusal: the lines of a new stream {@code x} (the first five of the source, renamed), changed. */
    private record Refusal(
            BiFunction<UserId, List<ObjectNode>, List<String>> input, long line, Function<UserId, String> reason) {}

    Stream<Arguments> refusals() {
        return Stream.of(
                refusal("an unknown type", 3, "unknown event type 'user.human.renamed'", (x, lines) -> {
                    lines.get(2).put("type", "user.human.renamed");
                    return texts(lines);
                }),
                refusal(
                        "a revision that is not the current one",
                        3,
                        "revision 2 of user.human.invite.check.failed is not the current one (1)",
                        (x, lines) -> {
                            lines.get(2).put("revision", "2");
                            return texts(lines);
                        }),
                refusal(
                        "no revision",
                        3,
                        "revision null of user.human.invite.check.failed is not the current one (1)",
                        (x, lines) -> {
                            lines.get(2).remove("revision");
                            return texts(lines);
                        }),
                refusal(
                        "a payload that does not deserialize",
                        3,
                        "payload is not a valid user.human.invite.check.failed",
                        (x, lines) -> {
                            ((ObjectNode) lines.get(2).get("payload")).put("reason", "NOT_A_REASON");
                            return texts(lines);
                        }),
                refusal(
                        "a payload whose user is not the stream's",
                        1,
                        "payload's userId is not the stream's aggregateId",
                        (x, lines) -> {
                            ((ObjectNode) lines.get(0).get("payload")).put("userId", source.value());
                            return texts(lines);
                        }),
                refusal(
                        "a sequence gap",
                        3,
                        x -> "sequence 4 of stream " + x + " does not follow its last event (2)",
                        (x, lines) -> {
                            lines.get(2).put("sequence", 4);
                            return texts(lines);
                        }),
                refusal(
                        "a stream that does not begin with the user's addition",
                        1,
                        "a user stream begins with user.human.added, not user.human.invite.code.added",
                        (x, lines) -> texts(lines.subList(1, lines.size()).stream()
                                .map(line -> line.put(
                                        "sequence", line.get("sequence").asLong() - 1))
                                .toList())),
                refusal(
                        "a second addition within a stream",
                        3,
                        "user.human.added begins a stream; it cannot come at sequence 3",
                        (x, lines) -> {
                            ObjectNode again = lines.get(0).deepCopy();
                            again.put("sequence", 3);
                            lines.set(2, again);
                            return texts(lines);
                        }),
                refusal("a line that is not JSON", 3, "not JSON", (x, lines) -> {
                    List<String> texts = texts(lines);
                    texts.set(2, texts.get(2).substring(0, texts.get(2).length() / 2));
                    return texts;
                }),
                refusal("JSON that is not an object", 3, "not a JSON object", (x, lines) -> {
                    List<String> texts = texts(lines);
                    texts.set(2, "[" + texts.get(2) + "]");
                    return texts;
                }),
                missing("aggregateType", "aggregateType must be a non-empty string"),
                missing("aggregateId", "aggregateId must be a non-empty string"),
                missing("sequence", "sequence must be a whole number from 1"),
                missing("type", "type must be a non-empty string"),
                missing("timestamp", "timestamp must be a non-empty string"),
                missing("payload", "payload must be a JSON object"),
                refusal("an aggregate id that is no user id", 3, "aggregateId is not a valid user id", (x, lines) -> {
                    // a user id has 1 to 200 code points
                    lines.get(2).put("aggregateId", "1".repeat(201));
                    return texts(lines);
                }),
                refusal(
                        "a timestamp with micro-seconds",
                        3,
                        "timestamp is finer than the store's milliseconds",
                        (x, lines) -> {
                            String millis = lines.get(2).get("timestamp").asText();
                            assertThat(millis).matches(".*\\.[0-9]{3}Z");
                            lines.get(2).put("timestamp", millis.replace("Z", "456Z"));
                            return texts(lines);
                        }),
                refusal("a timestamp that is no date", 3, "timestamp is not an RFC 3339 date-time", (x, lines) -> {
                    lines.get(2).put("timestamp", "yesterday");
                    return texts(lines);
                }),
                refusal(
                        "a username another user holds in the organization",
                        6,
                        x -> "username '" + usernameOf(source).toUpperCase(Locale.ROOT) + "' is taken in organization "
                                + org.value(),
                        (x, lines) -> {
                            // another new user, named as the source user (in capitals: usernames ignore case)
                            ObjectNode other = renamed(sourceLines, ids.next()).get(0);
                            ((ObjectNode) other.get("payload"))
                                    .put("username", usernameOf(source).toUpperCase(Locale.ROOT));
                            List<String> texts = texts(lines);
                            texts.add(other.toString());
                            return texts;
                        }),
                refusal(
                        "a different event at a position the store holds",
                        6,
                        x -> "stream " + source + " already holds a different event at sequence 1",
                        (x, lines) -> {
                            ObjectNode changed = sourceLines.get(0).deepCopy();
                            ((ObjectNode) changed.get("payload")).put("givenName", "Someone else");
                            List<String> texts = texts(lines);
                            texts.add(changed.toString());
                            return texts;
                        }),
                refusal(
                        "a different timestamp at a position the store holds",
                        6,
                        x -> "stream " + source + " already holds a different event at sequence 2",
                        (x, lines) -> {
                            ObjectNode changed = sourceLines.get(1).deepCopy();
                            changed.put(
                                    "timestamp",
                                    Instant.parse(changed.get("timestamp").asText())
                                            .plusMillis(1)
                                            .toString());
                            List<String> texts = texts(lines);
                            texts.add(changed.toString());
                            return texts;
                        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void each_refused_line_is_named_with_its_reason_and_nothing_of_its_batch_is_stored(Refusal refusal)
            throws Exception {
        UserId x = ids.next();
        List<ObjectNode> lines = new ArrayList<>(renamed(sourceLines.subList(0, 5), x));
        List<String> input = refusal.input().apply(x, lines);
        long sourceLength = streamLength(source);

        Throwable thrown = catchThrowable(() -> importLines(input));

        assertThat(thrown).as("the import is refused").isInstanceOf(RefusedLineException.class);
        RefusedLineException refused = (RefusedLineException) thrown;
        assertThat(refused.line()).isEqualTo(refusal.line());
        assertThat(refused.getMessage()).startsWith("line " + refusal.line() + ": ");
        assertThat(refused.reason()).isEqualTo(refusal.reason().apply(x));
        assertThat(streamLength(x)).as("nothing of the batch is stored").isZero();
        assertThat(claimsOf(x)).as("nor any username claim of it").isEmpty();
        assertThat(streamLength(source)).isEqualTo(sourceLength);
    }

    private static Arguments refusal(
            String name, long line, String reason, BiFunction<UserId, List<ObjectNode>, List<String>> input) {
        return refusal(name, line, x -> reason, input);
    }

    private static Arguments refusal(
            String name,
            long line,
            Function<UserId, String> reason,
            BiFunction<UserId, List<ObjectNode>, List<String>> input) {
        return Arguments.of(Named.of(name, new Refusal(input, line, reason)));
    }

    private static Arguments missing(String field, String reason) {
        return refusal("no " + field, 3, reason, (x, lines) -> {
            lines.get(2).remove(field);
            return texts(lines);
        });
    }

    // --- helpers

    private String returnedCode(UserId user) {
        return commands.<CreateInviteCodeResult>sendAndWait(
                        new CreateInviteCodeCommand(user, OrgScope.only(org), new InviteDelivery.ReturnCode()))
                .returnedCode()
                .orElseThrow()
                .reveal();
    }

    /** Appends events of types no command writes, at the stream's next positions. */
    private void append(UserId user, UserEvent... events) {
        engine.transactionManager().executeInTransaction(() -> {
            long next = engine.eventStore()
                    .lastSequenceNumberFor(user.value())
                    .map(last -> last + 1)
                    .orElse(0L);
            List<DomainEventMessage<?>> messages = new ArrayList<>();
            for (UserEvent event : events) {
                messages.add(
                        new GenericDomainEventMessage<>(EventTypes.USER_AGGREGATE_TYPE, user.value(), next++, event));
            }
            engine.eventStore().publish(messages);
        });
    }

    private EventStreamImport.Outcome importLines(List<String> lines) throws IOException {
        EventStreamImport importer =
                new EventStreamImport(jdbc, tables, engine.eventSerializer(), engine.transactionManager());
        byte[] ndjson = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        return importer.readFrom(new ByteArrayInputStream(ndjson), done -> {});
    }

    private List<ObjectNode> export(UserId user) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long written = new EventStreamExport(jdbc, tables)
                .writeTo(out, new EventStreamExport.Selection(0, Optional.of(user.value())), done -> {});
        List<ObjectNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add((ObjectNode) JSON.readTree(line));
            }
        }
        assertThat(lines).hasSize((int) written);
        return lines;
    }

    /** The lines as another user's stream: its aggregate id, and in {@code user.human.added} its id and username. */
    private static List<ObjectNode> renamed(List<ObjectNode> lines, UserId to) {
        List<ObjectNode> renamed = new ArrayList<>();
        for (ObjectNode line : lines) {
            ObjectNode copy = line.deepCopy();
            copy.put("aggregateId", to.value());
            if (ADDED.equals(copy.get("type").asText())) {
                ObjectNode payload = (ObjectNode) copy.get("payload");
                assertThat(payload.get("userId").asText())
                        .isEqualTo(line.get("aggregateId").asText());
                payload.put("userId", to.value());
                payload.put("username", usernameOf(to));
            }
            renamed.add(copy);
        }
        return renamed;
    }

    private static String usernameOf(UserId user) {
        return "user-" + user;
    }

    private static List<String> texts(List<ObjectNode> lines) {
        List<String> texts = new ArrayList<>();
        lines.forEach(line -> texts.add(line.toString()));
        return texts;
    }

    private static List<JsonNode> withoutGlobalIndex(List<ObjectNode> lines) {
        List<JsonNode> without = new ArrayList<>();
        for (ObjectNode line : lines) {
            ObjectNode copy = line.deepCopy();
            copy.remove("globalIndex");
            without.add(copy);
        }
        return without;
    }

    private List<? extends DomainEventMessage<?>> events(UserId user) {
        return engine.eventStore().readEvents(user.value()).asStream().toList();
    }

    private long streamLength(UserId user) {
        Long count = jdbc.queryForObject(
                tables.sql("SELECT count(*) FROM {domain_event_entry} WHERE aggregate_identifier = ?"),
                Long.class,
                user.value());
        return count == null ? 0 : count;
    }

    private List<String> claimsOf(UserId user) {
        return jdbc.queryForList(
                tables.sql("SELECT username FROM {username_claim} WHERE user_id = ?"), String.class, user.value());
    }

    /** The user's row once the projection's processor has applied the whole stream, straight from the table. */
    private Map<String, Object> caughtUpRow(UserId user) {
        long length = streamLength(user);
        return await().atMost(CATCH_UP)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () ->
                                jdbc
                                        .queryForList(
                                                tables.sql("SELECT * FROM {users} WHERE user_id = ?"), user.value())
                                        .stream()
                                        .map(EventStreamImportTest::arraysAsLists)
                                        .findFirst()
                                        .orElse(Map.of()),
                        row -> Long.valueOf(length).equals(row.get("sequence")));
    }

    /** The row with the driver's arrays (which compare by identity) as lists of their elements. */
    private static Map<String, Object> arraysAsLists(Map<String, Object> row) {
        row.replaceAll((column, value) -> {
            if (value instanceof java.sql.Array array) {
                try {
                    return java.util.Arrays.asList((Object[]) array.getArray());
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return value;
        });
        return row;
    }

    /** Lines validated and written in one transaction: the importer's own number. */
    private static int batchLines() throws ReflectiveOperationException {
        java.lang.reflect.Field field = EventStreamImport.class.getDeclaredField("BATCH_LINES");
        field.setAccessible(true);
        return field.getInt(null);
    }
}
