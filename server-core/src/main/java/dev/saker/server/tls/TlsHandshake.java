package dev.saker.server.tls;

import dev.saker.server.connection.Connection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.Protocol;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.HandshakeFailure;
import dev.saker.server.observe.ServerStats;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/**
 * A TLS connection from accept until its handshake is done: it counts as a connection (active, and
 * closed with a reason), enforces the handshake deadline counted from accept (so a client that
 * trickles its ClientHello a byte at a time gains nothing), and when the handshake succeeds installs
 * the protocol ALPN agreed on and leaves the pipeline, handing the connection's count to it.
 */
final class TlsHandshake extends ChannelInboundHandlerAdapter implements Connection {

    private final TlsSelection selection;
    private final ServerRuntime runtime;
    private final ServerStats stats;
    private final LoopContext loop;
    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private long acceptedAt;
    /** When the client last moved the handshake on: accept, then its ClientHello (the drain grace counts from it). */
    private long activeAt;
    private int slot = -1;
    private boolean counted;
    private boolean done;
    private HandshakeFailure failure;

    TlsHandshake(TlsSelection selection, ServerRuntime runtime, LoopContext loop, long timeoutNanos) {
        this.selection = selection;
        this.runtime = runtime;
        this.stats = runtime.stats();
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!counted) {
            start();
        }
        ctx.fireChannelActive();
    }

    private void start() {
        counted = true;
        acceptedAt = System.nanoTime();
        activeAt = acceptedAt;
        stats.connectionOpened();
        ctx.channel().attr(ACCEPTED_AT).set(acceptedAt);
        loop.add(this);
        // Accepted just before a graceful shutdown began: the sweep gives the handshake the drain
        // grace, as an idle connection gets, so the request behind it can still be served.
    }

    /** Cleartext or other non-TLS bytes arrived; {@link NotTlsGuard} answers and closes. */
    void notTls() {
        if (failure == null) {
            failure = HandshakeFailure.NOT_TLS;
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent completion = (SslHandshakeCompletionEvent) evt;
            if (completion.isSuccess()) {
                succeeded();
            } else {
                fail(classify(completion.cause()));
            }
        } else if (evt instanceof SniCompletionEvent) {
            SniCompletionEvent sni = (SniCompletionEvent) evt;
            if (sni.isSuccess()) {
                activeAt = System.nanoTime();
            } else {
                fail(classify(sni.cause()));
            }
        } else if (evt instanceof ChannelInputShutdownEvent) {
            // The listener allows half-closure (for HTTP/1.1), but a handshake cannot finish without
            // more from the client.
            fail(HandshakeFailure.CLOSED);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void succeeded() {
        if (done || failure != null) {
            return;
        }
        done = true;
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        stats.tls().handshakeSucceeded(tls.engine().getSession().getProtocol(), System.nanoTime() - acceptedAt);
        loop.remove(this);
        Protocol protocol = selection.protocolFor(tls.applicationProtocol());
        // The protocol's connection takes this stage's count over (Connection.ACCEPTED_AT).
        protocol.install(ctx.channel(), loop);
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (done) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        // Handshake errors are expected from bad clients: counted, never logged above DEBUG.
        fail(classify(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted && !done) {
            done = true;
            HandshakeFailure reason = failure == null ? HandshakeFailure.CLOSED : failure;
            stats.tls().handshakeFailed(reason);
            loop.remove(this);
            stats.connectionClosed(closeReason(reason), System.nanoTime() - acceptedAt);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void checkTimeouts(long now) {
        if (!done && now - acceptedAt >= timeoutNanos) {
            fail(HandshakeFailure.TIMEOUT);
        } else if (runtime.draining()) {
            drain(now);
        }
    }

    @Override
    public void drain(long now) {
        // A handshake under way is closed once the client has been silent for the grace (since
        // accept, or since its ClientHello; since the drain began at the earliest): its first
        // request follows the handshake, and is served (with Connection: close). The handshake
        // timeout and the drain's deadline still bound it.
        if (runtime.drainGraceOver(activeAt, now)) {
            fail(HandshakeFailure.SHUTDOWN);
        }
    }

    @Override
    public void forceClose() {
        fail(HandshakeFailure.SHUTDOWN);
    }

    @Override
    public int loopSlot() {
        return slot;
    }

    @Override
    public void loopSlot(int slot) {
        this.slot = slot;
    }

    /** Records the first reason the handshake failed and closes; later reasons are consequences. */
    private void fail(HandshakeFailure reason) {
        if (done) {
            return;
        }
        if (failure == null) {
            failure = reason;
        }
        ctx.close();
    }

    private static HandshakeFailure classify(Throwable cause) {
        // The specific causes first: the engine wraps them in SSLExceptions.
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof TooLongFrameException) {
                return HandshakeFailure.CLIENT_HELLO_TOO_LARGE;
            }
            if (t instanceof NotSslRecordException) {
                return HandshakeFailure.NOT_TLS;
            }
            if (t instanceof ClosedChannelException) {
                return HandshakeFailure.CLOSED;
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return HandshakeFailure.REJECTED;
            }
            if (t instanceof IOException) {
                return HandshakeFailure.CLOSED;
            }
        }
        return HandshakeFailure.REJECTED;
    }

    private static CloseReason closeReason(HandshakeFailure reason) {
        switch (reason) {
            case NOT_TLS:
                return CloseReason.NOT_TLS;
            case TIMEOUT:
                return CloseReason.TLS_HANDSHAKE_TIMEOUT;
            case CLOSED:
                return CloseReason.CLIENT;
            case SHUTDOWN:
                return CloseReason.SHUTDOWN;
            default:
                return CloseReason.TLS_HANDSHAKE_FAILED;
        }
    }
}
