package dev.saker.server.http2;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.Protocol;
import dev.saker.server.connection.ProtocolSelection;
import dev.saker.server.connection.ServerRuntime;
import io.netty.channel.Channel;

/**
 * The selection of a cleartext listener that serves HTTP/2 too: a connection that opens with the
 * HTTP/2 client preface (h2c with prior knowledge) gets HTTP/2, any other gets HTTP/1.1, decided by
 * a {@link PrefaceDetector} on the first bytes without losing any.
 */
public final class PriorKnowledgeSelection implements ProtocolSelection {

    private final ServerRuntime runtime;
    private final Protocol http1;
    private final Protocol http2;

    public PriorKnowledgeSelection(ServerRuntime runtime, Protocol http1, Protocol http2) {
        this.runtime = runtime;
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    public void select(Channel channel, LoopContext loop) {
        channel.pipeline().addLast(new PrefaceDetector(runtime, http1, http2, loop));
    }
}
