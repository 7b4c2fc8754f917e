package dev.admit.store.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

/** The shared result stands in for a handler's discarded result; the handling itself is untouched. */
class SharedEventResultTest {

    private final SharedEventResult interceptor = new SharedEventResult();

    @Test
    void the_event_is_handled_and_answered_with_the_shared_empty_result() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        UnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(
                GenericEventMessage.asEventMessage("event").andMetaData(MetaData.with("traceId", "t-1")));
        try {
            Object result = interceptor.handle(unitOfWork, () -> handled.incrementAndGet());

            assertThat(handled).hasValue(1);
            assertThat(result).isSameAs(SharedEventResult.EMPTY);
            assertThat(SharedEventResult.EMPTY.getPayload()).isNull();
            assertThat(SharedEventResult.EMPTY.getMetaData())
                    .as("no correlation data of any event")
                    .isEmpty();
        } finally {
            unitOfWork.commit();
        }
    }

    @Test
    void a_failing_handler_still_fails() {
        UnitOfWork<EventMessage<?>> unitOfWork =
                DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("event"));
        InterceptorChain failing = () -> {
            throw new IllegalStateException("the row could not be written");
        };
        try {
            assertThatThrownBy(() -> interceptor.handle(unitOfWork, failing))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the row could not be written");
        } finally {
            unitOfWork.rollback();
        }
    }
}
