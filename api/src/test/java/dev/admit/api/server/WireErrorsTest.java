package dev.admit.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

class WireErrorsTest {

    @Test
    void a_write_conflict_that_outlasted_the_retries_is_aborted_not_internal() {
        Throwable exhausted = new CommandExecutionException(
                "retries exhausted", new ConcurrencyException("position 3 of stream taken"));

        WireErrors.Failure failure = WireErrors.from(exhausted);

        assertThat(failure.exception().getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(failure.exception().getStatus().getDescription()).doesNotContain("position");
    }

    @Test
    void an_unknown_failure_is_internal_and_tells_nothing_of_itself() {
        WireErrors.Failure failure = WireErrors.from(new IllegalStateException("SELECT secret FROM table"));

        assertThat(failure.exception().getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(failure.exception().getStatus().getDescription()).isEqualTo("Internal error (ADMIT-INTERNAL)");
    }
}
