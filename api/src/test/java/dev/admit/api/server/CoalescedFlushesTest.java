package dev.admit.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescedFlushesTest {

    /** What reaches the socket, in order: each message written, and each flush that sends what was written. */
    private static final class Socket extends ChannelOutboundHandlerAdapter {
        final List<String> events = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            events.add(String.valueOf(msg));
            promise.setSuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            events.add("flush");
        }
    }

    /** A connection as Armeria sets it up (its default flush handler), with nothing being read. */
    private static Socket connection(boolean coalesced) {
        EmbeddedChannel channel = new EmbeddedChannel(new FlushConsolidationHandler());
        if (coalesced) {
            new CoalescedFlushes().accept(channel.pipeline());
        }
        Socket socket = new Socket();
        channel.pipeline().addFirst(socket);
        // as the HTTP/1 encoder answers, in one event-loop task: the head with a flush, then the body with one
        channel.pipeline().write("head");
        channel.pipeline().flush();
        channel.pipeline().write("body");
        channel.pipeline().flush();
        channel.runPendingTasks();
        return socket;
    }

    @Test
    void an_answers_head_and_body_go_out_in_one_flush() {
        assertThat(connection(true).events).startsWith("head", "body", "flush");
    }

    @Test
    void without_it_the_head_goes_out_on_its_own_before_the_body() {
        assertThat(connection(false).events).containsExactly("head", "flush", "body", "flush");
    }

    @Test
    void it_replaces_the_default_flush_handler_rather_than_adding_a_second() {
        EmbeddedChannel channel = new EmbeddedChannel(new FlushConsolidationHandler());
        new CoalescedFlushes().accept(channel.pipeline());

        long flushHandlers = channel.pipeline().toMap().values().stream()
                .filter(FlushConsolidationHandler.class::isInstance)
                .count();
        assertThat(flushHandlers).isEqualTo(1);
    }
}
