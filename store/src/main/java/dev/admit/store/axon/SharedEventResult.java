package dev.admit.store.axon;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.GenericResultMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Answers every event a processor handles with one shared, empty result, for processors whose handlers return
 * nothing. Axon's batching unit of work otherwise wraps each handler's {@code null} in a new result message, and
 * every new message takes the correlation data of the event being handled, which deserializes that event's
 * metadata: about a twentieth of the service's CPU per verification went to that for the users projection alone.
 * A failure still propagates as it did; only the discarded result of a successful event is shared.
 *
 * <p>Replaces the per-event result of Axon's {@code BatchingUnitOfWork}; checked on Axon 4.13.0.
 */
public final class SharedEventResult implements MessageHandlerInterceptor<EventMessage<?>> {

    /** Built outside any unit of work, so it carries no correlation data. */
    static final ResultMessage<Object> EMPTY = new GenericResultMessage<>((Object) null, MetaData.emptyInstance());

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        interceptorChain.proceed();
        return EMPTY;
    }
}
