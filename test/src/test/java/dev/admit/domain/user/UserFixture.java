package dev.admit.domain.user;

import dev.admit.domain.invite.InviteCodePolicy;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.WriteDetails;
import dev.admit.test.AdmitEvents;
import dev.admit.test.UserTestFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;

/**
 * The {@link User} rules' fixture: the test kit's ({@link UserTestFixture}, real invite codes and a clock that
 * follows the fixture's time), with the names these tests share.
 */
final class UserFixture {

    static final UserId USER = new UserId("69629023906488334");
    static final OrgId ORG = new OrgId("69629012906488334");
    static final OrgId OTHER_ORG = new OrgId("11111111111111111");
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    static final Duration EXPIRY = InviteCodePolicy.DEFAULT.expiry();

    private final UserTestFixture users = new UserTestFixture();
    final AggregateTestFixture<User> fixture = users.fixture();
    final InviteCodes inviteCodes = users.codes().inviteCodes();

    static HumanUserAdded userAdded() {
        return AdmitEvents.humanUserAdded(USER).orgId(ORG).build();
    }

    /** A returned invite code issued for {@link #USER}; {@code plain()} is the code to type. */
    InviteCodes.IssuedCode issued() {
        return inviteCodes.issue(USER);
    }

    static InviteCodeAdded returnedCode(InviteCodes.IssuedCode issued) {
        return new InviteCodeAdded(issued.sealed(), EXPIRY, null, null, true);
    }

    static InviteCodeAdded mailedCode(InviteCodes.IssuedCode issued, String urlTemplate, String applicationName) {
        return new InviteCodeAdded(issued.sealed(), EXPIRY, urlTemplate, applicationName, false);
    }

    static WriteDetails details(long sequence, Instant at) {
        return new WriteDetails(sequence, at, ORG);
    }

    /** Matches an event whose payload is a {@code type} passing {@code check}. */
    static <T> Matcher<EventMessage<?>> event(Class<T> type, String description, Predicate<T> check) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object item) {
                return item instanceof EventMessage<?> message
                        && type.isInstance(message.getPayload())
                        && check.test(type.cast(message.getPayload()));
            }

            @Override
            public void describeTo(Description out) {
                out.appendText(type.getSimpleName() + " where " + description);
            }
        };
    }

    /** Matches any value passing {@code check}. */
    static <T> Matcher<T> satisfying(Class<T> type, String description, Predicate<T> check) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object item) {
                return type.isInstance(item) && check.test(type.cast(item));
            }

            @Override
            public void describeTo(Description out) {
                out.appendText(type.getSimpleName() + " where " + description);
            }
        };
    }

    /** Collects the payloads a matcher saw, for assertions that span events and results. */
    static final class Seen<T> {
        final List<T> values = new CopyOnWriteArrayList<>();

        boolean add(T value) {
            values.add(value);
            return true;
        }

        T last() {
            return values.get(values.size() - 1);
        }
    }
}
