package dev.saker.server.testing;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.http1.Http1Protocol;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/**
 * A Saker connection on a Netty {@link EmbeddedChannel}: bytes in, bytes out, no sockets.
 * Event-loop dispatch only (the embedded loop is the test thread).
 */
public final class EmbeddedServer implements AutoCloseable {

    private final ServerRuntime runtime;
    private final EmbeddedChannel channel;
    private final ServerStats stats = new ServerStats();

    public EmbeddedServer(ServerConfig config, HttpHandler handler) {
        ServerConfig loopConfig = config.toBuilder().dispatchMode(DispatchMode.EVENT_LOOP).build();
        runtime = new ServerRuntime(loopConfig, stats, handler, Dispatcher.create(DispatchMode.EVENT_LOOP, 1, 0));
        channel = new EmbeddedChannel(false, false);
        channel.pipeline().addLast(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                LoopContext context = runtime.addLoop(ch.eventLoop());
                new Http1Protocol(runtime).install(ch, context);
            }
        });
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the embedded channel", e);
        }
    }

    public EmbeddedChannel channel() {
        return channel;
    }

    public ServerStats stats() {
        return stats;
    }

    /** Feeds bytes as one read (and one read-complete). */
    public void send(ByteBuf bytes) {
        channel.writeInbound(bytes);
        channel.runPendingTasks();
    }

    public void send(String latin1) {
        send(Unpooled.copiedBuffer(latin1, StandardCharsets.ISO_8859_1));
    }

    /** @return everything written so far, as Latin-1 text; the buffers are released */
    public String received() {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
