package dev.admit.service.persistence;

import static dev.admit.service.persistence.ProjectionTestSupport.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.admit.core.api.Admit;
import dev.admit.core.api.NewHumanUser;
import dev.admit.domain.error.DomainException;
import dev.admit.domain.message.InviteDelivery;
import dev.admit.domain.user.EmailAddress;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.OrgScope;
import dev.admit.domain.user.UserId;
import dev.admit.projection.ParkedEvent;
import dev.admit.projection.ParkedEventsOperator.Outcome;
import dev.admit.service.AdmitContextTest;
import dev.admit.service.persistence.ProjectionTestSupport.Row;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An event the users table can never take (here a constraint refuses one user's verified email) is parked: that
 * user's row waits before it, every other user moves on, and an operator retries or drops it.
 */
class ParkedEventsTest extends AdmitContextTest {

    private static final String CONSTRAINT = "test_refuse_verified";
    private static final Duration PARKING = Duration.ofSeconds(90);

    @Autowired
    Admit admit;

    @Autowired
    JdbcTemplate jdbc;

    private final OrgId org = ProjectionTestSupport.freshOrg();
    private final OrgScope scope = OrgScope.only(org);

    @AfterEach
    void dropConstraint() {
        jdbc.execute("ALTER TABLE admit.users DROP CONSTRAINT IF EXISTS " + CONSTRAINT);
    }

    private UserId invitee(String name) {
        return admit.addHumanUser(scope, NewHumanUser.of(org, name, "Parked", new EmailAddress(name + "@example.com")))
                .userId();
    }

    /** Adds a user, and verifies their invite while the table refuses their verified email. */
    private UserId verifiedWhileRefused() {
        UserId user = invitee("refused" + ThreadLocalRandom.current().nextInt(1_000_000));
        String code = admit.createInviteCode(scope, user, new InviteDelivery.ReturnCode())
                .returnedCode()
                .orElseThrow()
                .reveal();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> row(jdbc, user).map(Row::sequence).orElse(0L) == 2);
        jdbc.execute("ALTER TABLE admit.users ADD CONSTRAINT " + CONSTRAINT + " CHECK (user_id <> '" + user.value()
                + "' OR email_verified = false)");
        assertThat(admit.verifyInviteCode(scope, user, code).sequence()).isEqualTo(4);
        return user;
    }

    private List<ParkedEvent> parkedOf(UserId user) {
        return admit.operations().parkedEvents(1000).stream()
                .filter(parked -> parked.userId().equals(user.value()))
                .toList();
    }

    @Test
    void an_event_the_row_can_never_take_is_parked_by_name_while_other_users_move_on() {
        UserId refused = verifiedWhileRefused();

        await().atMost(PARKING)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !parkedOf(refused).isEmpty());
        ParkedEvent parked = parkedOf(refused).get(0);
        assertThat(parked.sequence()).as("the first event the row cannot take").isEqualTo(4);
        assertThat(parked.eventType()).isEqualTo("user.human.email.verified");
        assertThat(parked.reason()).isEqualTo("the row cannot hold it (SQLState 23514)");
        assertThat(parked.globalIndex()).isNotNull();
        assertThat(parkedOf(refused)).extracting(ParkedEvent::sequence).containsExactly(4L);
        assertThat(row(jdbc, refused).orElseThrow().sequence())
                .as("the row took the event before and waits before the parked one")
                .isEqualTo(3);

        UserId other = invitee("unhindered");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> row(jdbc, other).isPresent());
    }

    @Test
    void a_retry_once_the_cause_is_cured_applies_the_parked_events_and_later_ones_in_order() {
        UserId refused = verifiedWhileRefused();
        await().atMost(PARKING)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> parkedOf(refused).size() == 1);
        // a later event of the same user waits behind the parked ones
        try {
            admit.verifyInviteCode(scope, refused, "ZZZZZZ");
        } catch (DomainException expected) {
            // recorded as invite.check.failed, position 5
        }
        await().atMost(PARKING)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> parkedOf(refused).size() == 2);
        assertThat(parkedOf(refused).get(1).reason()).isEqualTo("waits for an earlier parked event of its user");
        assertThat(admit.operations().retryParkedEvents(refused)).isEqualTo(Outcome.STILL_PARKED);
        assertThat(parkedOf(refused)).extracting(ParkedEvent::sequence).containsExactly(4L, 5L);

        jdbc.execute("ALTER TABLE admit.users DROP CONSTRAINT " + CONSTRAINT);
        assertThat(admit.operations().retryParkedEvents(refused)).isEqualTo(Outcome.CAUGHT_UP);

        assertThat(parkedOf(refused)).isEmpty();
        Row row = row(jdbc, refused).orElseThrow();
        assertThat(row.sequence()).isEqualTo(5);
        assertThat(row.emailVerified()).isTrue();
        assertThat(admit.operations().retryParkedEvents(refused)).isEqualTo(Outcome.NOTHING_PARKED);
    }

    @Test
    void a_drop_moves_the_row_past_the_first_parked_event_without_it_and_later_events_apply_again() {
        UserId refused = verifiedWhileRefused();
        await().atMost(PARKING)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> parkedOf(refused).size() == 1);

        assertThat(admit.operations().dropParkedEvent(refused)).isEqualTo(Outcome.CAUGHT_UP);

        assertThat(parkedOf(refused)).isEmpty();
        Row row = row(jdbc, refused).orElseThrow();
        assertThat(row.sequence()).isEqualTo(4);
        assertThat(row.emailVerified())
                .as("what the dropped event changed is missing")
                .isFalse();
        try {
            admit.verifyInviteCode(scope, refused, "ZZZZZZ");
        } catch (DomainException expected) {
            // recorded as invite.check.failed, position 5, which the processor applies as usual
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> row(jdbc, refused).orElseThrow().sequence() == 5);
        assertThat(admit.operations().dropParkedEvent(refused)).isEqualTo(Outcome.NOTHING_PARKED);
    }

    @Test
    void an_event_whose_payload_cannot_be_read_is_parked_and_the_users_next_event_waits_behind_it() {
        UserId broken = invitee("unreadable" + ThreadLocalRandom.current().nextInt(1_000_000));
        await().atMost(Duration.ofSeconds(30)).until(() -> row(jdbc, broken).isPresent());
        // what a faulty import or a hand edit could leave: a known type whose stored JSON does not parse
        jdbc.update(
                """
                INSERT INTO admit.domain_event_entry (event_identifier, meta_data, payload, payload_revision,
                    payload_type, time_stamp, aggregate_identifier, sequence_number, type)
                VALUES (?, ?, convert_to('{"not json', 'UTF8'), NULL, 'user.human.email.verified', ?, ?, 1, 'user')
                """,
                java.util.UUID.randomUUID().toString(),
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.time.Instant.now().toString(),
                broken.value());

        await().atMost(PARKING)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !parkedOf(broken).isEmpty());
        ParkedEvent parked = parkedOf(broken).get(0);
        assertThat(parked.sequence()).isEqualTo(2);
        assertThat(parked.reason()).isEqualTo("the payload cannot be read");
        assertThat(parked.eventType()).isEqualTo("user.human.email.verified");
        assertThat(row(jdbc, broken).orElseThrow().sequence()).isEqualTo(1);

        UserId other = invitee("readable" + ThreadLocalRandom.current().nextInt(1_000_000));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> row(jdbc, other).isPresent());
        assertThat(admit.operations().retryParkedEvents(broken)).isEqualTo(Outcome.STILL_PARKED);
        assertThat(admit.operations().dropParkedEvent(broken)).isEqualTo(Outcome.CAUGHT_UP);
        assertThat(row(jdbc, broken).orElseThrow().sequence()).isEqualTo(2);
    }
}
