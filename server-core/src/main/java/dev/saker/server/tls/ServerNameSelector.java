package dev.saker.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * Reads the ClientHello (at most {@code maxClientHelloSize} bytes: a larger one closes the
 * connection), picks the context of the SNI name it carries from the contexts current at that
 * moment, and replaces itself with an {@link SslHandler} of that context. Netty's
 * {@link SniHandler} does the bounded reading; the deadline is {@link TlsHandshake}'s, from accept.
 */
final class ServerNameSelector extends SniHandler {

    ServerNameSelector(TlsSelection selection, int maxClientHelloSize) {
        // No timeout of Netty's: the handshake deadline counts from accept (TlsHandshake).
        super(selection::contextFor, maxClientHelloSize, 0L);
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }
}
