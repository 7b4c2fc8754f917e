package dev.admit.spring.boot;

import dev.admit.core.RefusalObserver;
import dev.admit.domain.error.ErrorCatalogue;
import dev.admit.domain.message.InviteCodeAdded;
import dev.admit.domain.message.InviteCodeCheckFailed;
import dev.admit.domain.message.InviteCodeVerified;
import dev.admit.domain.message.UserEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Admit's own counters: verifications by outcome, invite codes issued by delivery, and refusals by error id. Events
 * are counted once their transaction commits; a verification of a user that is not there leaves no event and is
 * counted from the refusal.
 */
@ProcessingGroup(AdmitEventObserver.PROCESSING_GROUP)
final class AdmitMeters implements AdmitEventObserver, RefusalObserver {

    private final MeterRegistry registry;

    AdmitMeters(MeterRegistry registry) {
        this.registry = registry;
        // every outcome is there from the start, so a rate of zero shows as zero rather than as no series
        for (String outcome :
                new String[] {"success", "invalid", "expired", "no_active_code", "unreadable", "not_found"}) {
            verifications(outcome);
        }
        codesIssued("returned");
        codesIssued("mailed");
    }

    private Counter verifications(String outcome) {
        return Counter.builder("admit.invite.verifications")
                .description("Invite code verifications by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter codesIssued(String delivery) {
        return Counter.builder("admit.invite.codes.issued")
                .description("Invite codes issued, by how they reach the user")
                .tag("delivery", delivery)
                .register(registry);
    }

    @Override
    public void refused(ErrorCatalogue error) {
        Counter.builder("admit.refusals")
                .description("Refusals answered by the entry point, by error id")
                .tag("id", error.id())
                .register(registry)
                .increment();
        if (error == ErrorCatalogue.USER_NOT_FOUND_ON_VERIFY) {
            verifications("not_found").increment();
        }
    }

    @Override
    public boolean canHandle(EventMessage<?> event) {
        return canHandleType(event.getPayloadType());
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return UserEvent.class.isAssignableFrom(payloadType);
    }

    @Override
    public Object handle(EventMessage<?> event) {
        Object payload = event.getPayload();
        Counter counter = null;
        if (payload instanceof InviteCodeVerified) {
            counter = verifications("success");
        } else if (payload instanceof InviteCodeCheckFailed failed) {
            counter = verifications(
                    switch (failed.reason()) {
                        case WRONG_CODE -> "invalid";
                        default -> failed.reason().name().toLowerCase(Locale.ROOT);
                    });
        } else if (payload instanceof InviteCodeAdded added) {
            counter = codesIssued(added.codeReturned() ? "returned" : "mailed");
        }
        if (counter != null) {
            Counter counted = counter;
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(unitOfWork -> counted.increment());
            } else {
                counted.increment();
            }
        }
        return null;
    }
}
