package dev.saker.server.http1;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.Protocol;
import dev.saker.server.connection.ServerRuntime;
import io.netty.channel.Channel;

/** HTTP/1.1 as a protocol of the connection layer: one {@link Http1Connection} per channel. */
public final class Http1Protocol implements Protocol {

    private final Http1Runtime runtime;
    private final Http1Upgrade upgrade;

    public Http1Protocol(ServerRuntime runtime) {
        this(runtime, null);
    }

    /** @param upgrade the protocol a request may switch a connection to, or {@code null} for none */
    public Http1Protocol(ServerRuntime runtime, Http1Upgrade upgrade) {
        this.runtime = new Http1Runtime(runtime);
        this.upgrade = upgrade;
    }

    @Override
    public String alpnId() {
        return "http/1.1";
    }

    @Override
    public void install(Channel channel, LoopContext loop) {
        channel.pipeline().addLast(new Http1Connection(runtime, loop, upgrade));
    }
}
