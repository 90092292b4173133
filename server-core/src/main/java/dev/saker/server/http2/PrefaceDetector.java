package dev.saker.server.http2;

import dev.saker.server.connection.Connection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.Protocol;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.observe.TimeoutKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * The first stage of a cleartext connection when HTTP/2 is on. As long as the bytes received match
 * the HTTP/2 client preface ({@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}) it holds them; the full
 * preface installs HTTP/2, the first byte that differs installs HTTP/1.1 (an HTTP/1.1 request never
 * starts with {@code PRI *}). Either way it leaves the pipeline and passes on everything it held.
 *
 * <p>It counts the connection at accept and hands that count over ({@link Connection#ACCEPTED_AT}),
 * as the TLS handshake does; until it decides it is the loop's {@link Connection}: a client that
 * sends too little for the head timeout (measured from accept) is closed.
 */
final class PrefaceDetector extends ChannelInboundHandlerAdapter implements Connection {

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerStats stats;
    private final ServerRuntime runtime;
    private final long timeoutNanos;
    private final Protocol http1;
    private final Protocol http2;
    private final LoopContext loop;
    private ChannelHandlerContext ctx;
    private ByteBuf held;
    private long acceptedAt;
    private boolean decided;
    private CloseReason closeReason;
    private int loopSlot = -1;

    PrefaceDetector(ServerRuntime runtime, Protocol http1, Protocol http2, LoopContext loop) {
        this.stats = runtime.stats();
        this.runtime = runtime;
        this.timeoutNanos = runtime.config().headTimeout().toNanos();
        this.http1 = http1;
        this.http2 = http2;
        this.loop = loop;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        acceptedAt = System.nanoTime();
        stats.connectionOpened();
        ctx.channel().attr(ACCEPTED_AT).set(acceptedAt);
        loop.add(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        ByteBuf all;
        if (held == null) {
            all = in;
        } else {
            all = ctx.alloc().buffer(held.readableBytes() + in.readableBytes()).writeBytes(held).writeBytes(in);
            held.release();
            in.release();
            held = null;
        }
        int n = Math.min(all.readableBytes(), PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (all.getByte(all.readerIndex() + i) != PREFACE[i]) {
                choose(ctx, http1, all);
                return;
            }
        }
        if (n == PREFACE.length) {
            choose(ctx, http2, all);
        } else {
            held = all;
        }
    }

    private void choose(ChannelHandlerContext ctx, Protocol protocol, ByteBuf bytes) {
        decided = true;
        loop.remove(this);
        protocol.install(ctx.channel(), loop);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(bytes);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!decided) {
            decided = true;
            loop.remove(this);
            release();
            stats.connectionClosed(closeReason == null ? CloseReason.CLIENT : closeReason, System.nanoTime() - acceptedAt);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    @Override
    public void checkTimeouts(long now) {
        if (decided) {
            return;
        }
        if (now - acceptedAt >= timeoutNanos) {
            stats.timeout(TimeoutKind.HEAD);
            close(CloseReason.HEAD_TIMEOUT);
        } else if (runtime.draining()) {
            drain(now);
        }
    }

    @Override
    public void drain(long now) {
        // Nothing received yet, or part of a preface: the client is still sending its first request,
        // which the grace lets in; then it is served and answered with Connection: close.
        if (!decided && runtime.drainGraceOver(acceptedAt, now)) {
            close(CloseReason.SHUTDOWN);
        }
    }

    @Override
    public void forceClose() {
        close(CloseReason.SHUTDOWN);
    }

    private void close(CloseReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        loop.remove(this);
        ctx.channel().close();
    }

    @Override
    public int loopSlot() {
        return loopSlot;
    }

    @Override
    public void loopSlot(int slot) {
        loopSlot = slot;
    }
}
