package dev.admit.test;

import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.user.User;
import dev.admit.domain.user.UserId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;

/**
 * A ready {@link AggregateTestFixture} for {@link User}: the invite codes ({@link TestInviteCodes}) and a clock that
 * follows the fixture's time are registered, so {@code fixture().given(…).when(…).expect…()} works as it is.
 *
 * <pre>{@code
 * UserTestFixture users = new UserTestFixture();
 * users.fixture()
 *         .given(AdmitEvents.humanUserAdded(user).build())
 *         .when(AdmitCommands.createInviteCode(user).returnCode().build())
 *         .expectSuccessfulHandlerExecution();
 * }</pre>
 */
public final class UserTestFixture {

    private final AggregateTestFixture<User> fixture = new AggregateTestFixture<>(User.class);
    private final TestInviteCodes codes;
    private final Clock clock = new FixtureClock();
    private final List<InviteCodeAdded> codesSeen = new CopyOnWriteArrayList<>();

    public UserTestFixture() {
        this(new TestInviteCodes());
    }

    public UserTestFixture(TestInviteCodes codes) {
        this.codes = codes;
        fixture.registerInjectableResource(codes.inviteCodes());
        fixture.registerInjectableResource(clock);
    }

    public AggregateTestFixture<User> fixture() {
        return fixture;
    }

    public TestInviteCodes codes() {
        return codes;
    }

    /** The clock the aggregate sees: the fixture's current time, which {@code andGivenCurrentTime} moves. */
    public Clock clock() {
        return clock;
    }

    /**
     * Matches the events of a {@code when} that include an {@code invite.code.added}, remembering its code for
     * {@link #lastPlainCode}: {@code .expectEventsMatching(users.anInviteCodeAdded())}.
     */
    public Matcher<List<EventMessage<?>>> anInviteCodeAdded() {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object item) {
                if (!(item instanceof List<?> events)) {
                    return false;
                }
                boolean found = false;
                for (Object event : events) {
                    if (event instanceof EventMessage<?> message
                            && message.getPayload() instanceof InviteCodeAdded added) {
                        codesSeen.add(added);
                        found = true;
                    }
                }
                return found;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("events including an invite.code.added");
            }
        };
    }

    /** The plain code of the last {@code invite.code.added} matched by {@link #anInviteCodeAdded}. */
    public String lastPlainCode(UserId userId) {
        if (codesSeen.isEmpty()) {
            throw new IllegalStateException("no invite.code.added seen yet: expect events with anInviteCodeAdded()");
        }
        return codes.plain(userId, codesSeen.get(codesSeen.size() - 1));
    }

    private final class FixtureClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the fixture's clock is in UTC");
        }

        @Override
        public Instant instant() {
            return fixture.currentTime();
        }
    }
}
