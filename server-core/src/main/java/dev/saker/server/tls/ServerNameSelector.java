package dev.saker.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

/**
 * Reads the ClientHello (at most {@code maxClientHelloSize} bytes: a larger one closes the
 * connection), picks the context of the SNI name it carries from the contexts current at that
 * moment, and replaces itself with an {@link SslHandler} of that context. Netty's
 * {@link SniHandler} does the bounded reading; the deadline is {@link TlsHandshake}'s, from accept.
 *
 * <p>The contexts are held ({@link TlsSelection#acquireContexts}) from the lookup until the
 * {@code SslHandler}'s engine exists and holds its own reference to its context, so a reload on
 * another thread cannot free the context in between. Netty calls {@link #lookup} and then, the
 * lookup being already complete, {@link #replaceHandler} in the same call on the event loop; the
 * hold is given back at the end of {@code replaceHandler}, or when this handler leaves the pipeline
 * without getting there. From then on the engine is the {@code SslHandler}'s, which releases it
 * when it is removed (the channel closes), whether the handshake succeeded or not.
 */
final class ServerNameSelector extends SniHandler {

    private final TlsSelection selection;
    /** The contexts held between {@link #lookup} and the end of {@link #replaceHandler}; else {@code null}. */
    private TlsContexts held;

    ServerNameSelector(TlsSelection selection, int maxClientHelloSize) {
        // No timeout of Netty's: the handshake deadline counts from accept (TlsHandshake). The
        // mapping is not used: lookup is overridden to hold the contexts it picks from.
        super(ServerNameSelector::mappingNotUsed, maxClientHelloSize, 0L);
        this.selection = selection;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
        releaseHeld();
        TlsContexts contexts = selection.acquireContexts();
        held = contexts;
        return ctx.executor().newSucceededFuture(contexts.forServerName(hostname));
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext context) throws Exception {
        try {
            super.replaceHandler(ctx, hostname, context);
        } finally {
            releaseHeld();
        }
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        try {
            super.handlerRemoved0(ctx);
        } finally {
            releaseHeld();
        }
    }

    private void releaseHeld() {
        TlsContexts contexts = held;
        if (contexts != null) {
            held = null;
            contexts.release();
        }
    }

    private static SslContext mappingNotUsed(String hostname) {
        throw new IllegalStateException("ServerNameSelector looks contexts up itself");
    }
}
