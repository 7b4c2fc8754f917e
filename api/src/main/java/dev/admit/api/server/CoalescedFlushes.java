package dev.admit.api.server;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.function.Consumer;

/**
 * Sends a response's head and body in one write. Armeria's HTTP/1 encoder flushes the headers and then the body of
 * an answer, and when the answer completes outside a read (every answer from the RPC threads does) each flush is a
 * {@code send()} of its own, and the client wakes twice. With consolidation outside reads too, flushes made within
 * one event-loop task go out together at the end of it: one system call per answer, no added wait.
 */
public final class CoalescedFlushes implements Consumer<ChannelPipeline> {

    /** Armeria's own default: with this many flushes pending, one is made at once. */
    private static final int FLUSH_AT_THE_LATEST_AFTER = 256;

    @Override
    public void accept(ChannelPipeline pipeline) {
        FlushConsolidationHandler existing = pipeline.get(FlushConsolidationHandler.class);
        FlushConsolidationHandler everywhere = new FlushConsolidationHandler(FLUSH_AT_THE_LATEST_AFTER, true);
        if (existing != null) {
            pipeline.replace(existing, "admit-coalesced-flushes", everywhere);
        } else {
            pipeline.addFirst("admit-coalesced-flushes", everywhere);
        }
    }
}
