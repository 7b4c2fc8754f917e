package dev.admit.service.persistence;

import static dev.admit.service.persistence.ConcurrencySupport.BOUND;
import static dev.admit.service.persistence.ConcurrencySupport.HUMAN_ADDED;
import static dev.admit.service.persistence.ConcurrencySupport.addHuman;
import static dev.admit.service.persistence.ConcurrencySupport.domainExceptionIn;
import static dev.admit.service.persistence.ConcurrencySupport.freshOrg;
import static dev.admit.service.persistence.ConcurrencySupport.race;
import static dev.admit.service.persistence.ConcurrencySupport.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.admit.domain.error.DomainException;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.error.ErrorCategory;
import dev.admit.domain.message.AddHumanUserResult;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.persistence.ConcurrencySupport.Outcome;
import dev.admit.service.persistence.ConcurrencySupport.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * behaviour.md §3 AddHumanUser: a username is unique within its organization, without regard to case, "enforced
 * atomically with the append (ALREADY_EXISTS on a clash, even under concurrency)"; a given user id must be unused.
 * A refused AddHumanUser stores nothing.
 */
class ConcurrentUsernameTest extends AdmitContextTest {

    private static final int RACERS = 32;

    @Autowired
    CommandGateway commands;

    @Autowired
    UserIdGenerator ids;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void thirty_two_concurrent_adds_of_one_username_in_one_org_create_exactly_one_user() throws Exception {
        OrgId org = freshOrg(ids);
        String username = "grace.hopper." + ids.next();
        List<UserId> users = freshUsers(RACERS);

        List<Outcome<AddHumanUserResult>> outcomes = race(users.stream()
                .<Callable<AddHumanUserResult>>map(user -> () -> commands.sendAndWait(addHuman(user, org, username)))
                .toList());

        UserId winner = assertExactlyOneCreatedAndTheRestRefusedWith(outcomes, ErrorCatalogue.USERNAME_TAKEN);
        assertThat(claimsOf(org, username)).containsExactly(winner.value());
        assertThat(humanAddedCount(org, username))
                .as("user.human.added stored for that username")
                .isEqualTo(1);
        for (UserId user : users) {
            assertThat(stream(jdbc, user))
                    .extracting(StoredEvent::payloadType)
                    .as("stream of %s", user)
                    .containsExactlyElementsOf(user.equals(winner) ? List.of(HUMAN_ADDED) : List.of());
        }
        // 31 rolled-back appends left 31 holes in the global index; the users projection still moves on
        await().atMost(BOUND)
                .until(() -> jdbc.queryForObject(
                                "SELECT count(*) FROM admit.users WHERE user_id = ?", Integer.class, winner.value())
                        == 1);
    }

    @Test
    void thirty_two_concurrent_adds_of_case_variants_of_one_username_create_exactly_one_user() throws Exception {
        OrgId org = freshOrg(ids);
        String suffix = "-" + ids.next();
        List<UserId> users = freshUsers(RACERS);
        List<Callable<AddHumanUserResult>> racers = new ArrayList<>();
        for (int variant = 0; variant < RACERS; variant++) {
            String username = caseVariant("lovel", variant) + suffix;
            UserId user = users.get(variant);
            racers.add(() -> commands.sendAndWait(addHuman(user, org, username)));
        }

        UserId winner = assertExactlyOneCreatedAndTheRestRefusedWith(race(racers), ErrorCatalogue.USERNAME_TAKEN);
        assertThat(claimsOf(org, "lovel" + suffix)).containsExactly(winner.value());
        assertThat(humanAddedCount(org, "lovel" + suffix)).isEqualTo(1);
    }

    @Test
    void usernames_differing_only_in_case_clash() {
        OrgId org = freshOrg(ids);
        String suffix = "." + ids.next();
        commands.sendAndWait(addHuman(ids.next(), org, "Ada.Lovelace" + suffix));

        for (String clash : List.of("ada.lovelace" + suffix, "ADA.LOVELACE" + suffix, "aDA.lOVELACE" + suffix)) {
            UserId user = ids.next();
            Throwable thrown = catchThrowable(() -> commands.sendAndWait(addHuman(user, org, clash)));
            assertThat(domainExceptionIn(thrown).error()).as(clash).isEqualTo(ErrorCatalogue.USERNAME_TAKEN);
            assertThat(stream(jdbc, user))
                    .as("no event for the refused %s", user)
                    .isEmpty();
        }
        assertThat(claimsOf(org, "ada.lovelace" + suffix)).hasSize(1);
    }

    @Test
    void the_same_username_in_a_different_org_is_allowed() {
        String username = "shared." + ids.next();
        OrgId first = freshOrg(ids);
        OrgId second = freshOrg(ids);
        UserId inFirst = ids.next();
        UserId inSecond = ids.next();

        AddHumanUserResult a = commands.sendAndWait(addHuman(inFirst, first, username));
        AddHumanUserResult b = commands.sendAndWait(addHuman(inSecond, second, username.toUpperCase(Locale.ROOT)));

        assertThat(a.userId()).isEqualTo(inFirst);
        assertThat(b.userId()).isEqualTo(inSecond);
        assertThat(b.details().sequence()).isEqualTo(1);
        assertThat(claimsOf(first, username)).containsExactly(inFirst.value());
        assertThat(claimsOf(second, username)).containsExactly(inSecond.value());
    }

    @Test
    void thirty_two_concurrent_adds_with_the_same_user_id_create_exactly_one_user() throws Exception {
        OrgId org = freshOrg(ids);
        UserId user = ids.next();
        List<String> usernames = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            usernames.add("same.id." + i + "." + user);
        }

        List<Outcome<AddHumanUserResult>> outcomes = race(usernames.stream()
                .<Callable<AddHumanUserResult>>map(name -> () -> commands.sendAndWait(addHuman(user, org, name)))
                .toList());

        assertThat(assertExactlyOneCreatedAndTheRestRefusedWith(outcomes, ErrorCatalogue.USER_ALREADY_EXISTS))
                .isEqualTo(user);
        List<StoredEvent> stream = stream(jdbc, user);
        assertThat(stream).extracting(StoredEvent::payloadType).containsExactly(HUMAN_ADDED);
        assertThat(stream).extracting(StoredEvent::sequenceNumber).containsExactly(0L);
        List<String> claimed = jdbc.queryForList(
                "SELECT username FROM admit.username_claim WHERE user_id = ?", String.class, user.value());
        assertThat(claimed)
                .as("only the created user's username is claimed")
                .hasSize(1)
                .allSatisfy(name -> assertThat(stream.get(0).payload()).contains("\"username\":\"" + name + "\""));
    }

    @Test
    void a_refused_add_stores_no_event_and_no_claim() {
        OrgId org = freshOrg(ids);
        String taken = "taken." + ids.next();
        UserId owner = ids.next();
        commands.sendAndWait(addHuman(owner, org, taken));

        // refused for its username: nothing of it is stored, and its id stays free
        UserId refused = ids.next();
        Throwable usernameTaken = catchThrowable(() -> commands.sendAndWait(addHuman(refused, org, taken)));
        assertThat(domainExceptionIn(usernameTaken).error()).isEqualTo(ErrorCatalogue.USERNAME_TAKEN);
        assertThat(stream(jdbc, refused)).isEmpty();
        assertThat(claimCountOfUser(refused)).isZero();
        AddHumanUserResult retried = commands.sendAndWait(addHuman(refused, org, "free." + refused));
        assertThat(retried.details().sequence())
                .as("the refused id was never used")
                .isEqualTo(1);

        // refused for its id: the existing stream is untouched, and the username it asked for stays free
        String wanted = "wanted." + ids.next();
        Throwable idTaken = catchThrowable(() -> commands.sendAndWait(addHuman(owner, org, wanted)));
        assertThat(domainExceptionIn(idTaken).error()).isEqualTo(ErrorCatalogue.USER_ALREADY_EXISTS);
        assertThat(stream(jdbc, owner)).extracting(StoredEvent::payloadType).containsExactly(HUMAN_ADDED);
        assertThat(claimsOf(org, wanted)).isEmpty();
        UserId other = ids.next();
        commands.sendAndWait(addHuman(other, org, wanted));
        assertThat(claimsOf(org, wanted)).containsExactly(other.value());
    }

    private List<UserId> freshUsers(int count) {
        List<UserId> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(ids.next());
        }
        return users;
    }

    /** Exactly one outcome created a user; all others were refused with {@code error}. Returns the created id. */
    private static UserId assertExactlyOneCreatedAndTheRestRefusedWith(
            List<Outcome<AddHumanUserResult>> outcomes, ErrorCatalogue error) {
        List<AddHumanUserResult> created =
                outcomes.stream().filter(Outcome::succeeded).map(Outcome::value).toList();
        assertThat(created).hasSize(1);
        assertThat(created.get(0).details().sequence()).isEqualTo(1);
        List<Throwable> refusals = outcomes.stream()
                .filter(outcome -> !outcome.succeeded())
                .map(Outcome::failure)
                .toList();
        assertThat(refusals).hasSize(outcomes.size() - 1).allSatisfy(failure -> {
            DomainException domain = domainExceptionIn(failure);
            assertThat(domain.error()).isEqualTo(error);
            assertThat(domain.error().category()).isEqualTo(ErrorCategory.ALREADY_EXISTS);
        });
        return created.get(0).userId();
    }

    /** The ids holding a claim on {@code username} (in any case) in {@code org}. */
    private List<String> claimsOf(OrgId org, String username) {
        return jdbc.queryForList(
                "SELECT user_id FROM admit.username_claim WHERE org_id = ? AND lower(username) = lower(?)",
                String.class,
                org.value(),
                username);
    }

    private int claimCountOfUser(UserId user) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM admit.username_claim WHERE user_id = ?", Integer.class, user.value());
    }

    /** How many user.human.added events in the whole store carry {@code username} (in any case) in {@code org}. */
    private int humanAddedCount(OrgId org, String username) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM admit.domain_event_entry
                WHERE payload_type = 'user.human.added'
                  AND convert_from(payload, 'UTF8')::jsonb ->> 'orgId' = ?
                  AND lower(convert_from(payload, 'UTF8')::jsonb ->> 'username') = lower(?)
                """, Integer.class, org.value(), username);
    }

    /** {@code base} with the letters whose bit is set in {@code variant} in upper case. */
    private static String caseVariant(String base, int variant) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            out.append((variant & (1 << i)) != 0 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }
}
