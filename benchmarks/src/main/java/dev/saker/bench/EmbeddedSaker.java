package dev.saker.bench;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.http1.Http1Protocol;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.ServerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Builds one Saker connection on an {@link EmbeddedChannel}, the way the engine's tests do, without
 * depending on the test jar. Event-loop dispatch: the embedded loop is the calling thread.
 */
final class EmbeddedSaker {

    private EmbeddedSaker() {
    }

    static EmbeddedChannel open(HttpHandler handler) {
        ServerConfig config = ServerConfig.builder().dispatchMode(DispatchMode.EVENT_LOOP).build();
        ServerRuntime runtime = new ServerRuntime(config, new ServerStats(), handler,
                Dispatcher.create(DispatchMode.EVENT_LOOP, 1, 0));
        // Unregistered first: the loop context must exist before the connection sees channelActive.
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
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
        return channel;
    }
}
