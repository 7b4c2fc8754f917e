package dev.admit.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.admit.domain.message.CreateInviteCodeResult;
import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.VerifyInviteCodeOutcome;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.Test;

/** The kit does what it promises, on the real aggregate and a real PostgreSQL. */
class TestKitTest {

    @Test
    void a_code_sealed_into_a_given_event_verifies_as_typed() {
        UserTestFixture users = new UserTestFixture();
        InviteCodeAdded code = AdmitEvents.inviteCodeAdded(users.codes(), TestIds.USER, "K1T2E3")
                .build();

        users.fixture()
                .given(AdmitEvents.humanUserAdded().build(), code)
                .when(AdmitCommands.verifyInviteCode(TestIds.USER, "K1T2E3"))
                .expectEvents(new InviteCodeVerified(), new EmailVerified())
                .expectResultMessagePayloadMatching(
                        org.hamcrest.Matchers.instanceOf(VerifyInviteCodeOutcome.Verified.class));
    }

    @Test
    void the_plain_text_of_a_code_the_aggregate_issued_can_be_read_back() {
        UserTestFixture users = new UserTestFixture();

        List<CreateInviteCodeResult> results = new ArrayList<>();

        users.fixture()
                .given(AdmitEvents.humanUserAdded().build())
                .when(AdmitCommands.createInviteCode(TestIds.USER).returnCode().build())
                .expectEventsMatching(users.anInviteCodeAdded())
                .expectResultMessagePayloadMatching(new CustomTypeSafeMatcher<CreateInviteCodeResult>("a result") {
                    @Override
                    protected boolean matchesSafely(CreateInviteCodeResult result) {
                        return results.add(result);
                    }
                });

        assertThat(users.lastPlainCode(TestIds.USER))
                .isEqualTo(results.get(0).returnedCode().orElseThrow().reveal());
    }

    @Test
    void the_aggregates_clock_follows_the_fixtures_time() {
        UserTestFixture users = new UserTestFixture();
        InviteCodeAdded code = AdmitEvents.inviteCodeAdded(users.codes(), TestIds.USER, "K1T2E3")
                .expiry(Duration.ofHours(1))
                .build();

        users.fixture()
                .given(AdmitEvents.humanUserAdded().build(), code)
                .andGivenCurrentTime(users.clock().instant().plus(Duration.ofHours(2)))
                .when(AdmitCommands.verifyInviteCode(TestIds.USER, "K1T2E3"))
                .expectResultMessagePayloadMatching(
                        org.hamcrest.Matchers.instanceOf(VerifyInviteCodeOutcome.Rejected.class));
    }

    @Test
    void the_throwaway_postgresql_holds_admits_tables_and_empties_them_on_request() throws Exception {
        DataSource dataSource = ThrowawayPostgres.migrated();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO admit.username_claim VALUES ('org', 'ada', 'user')");

            ThrowawayPostgres.clean();

            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM admit.username_claim")) {
                rows.next();
                assertThat(rows.getLong(1)).isZero();
            }
        }
        assertThat(ThrowawayPostgres.springProperties()).containsKey("spring.datasource.url");
    }
}
