package dev.saker.server.websocket;

import dev.saker.server.connection.Connection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.observe.TimeoutKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * The {@link Connection} side of a WebSocket: takes over the count of the upgraded HTTP/1.1
 * connection, keeps it on its loop's list, counts the bytes both ways, and from the loop's sweep
 * closes an idle session (1001), a close handshake the client does not answer, and a connection
 * whose socket stayed unwritable (a client that does not read) for the write timeout. Sits first in
 * the pipeline, in front of the frame codec. Event loop only.
 */
final class WebSocketConnection extends ChannelDuplexHandler implements Connection {

    private final ServerRuntime runtime;
    private final ServerStats stats;
    private final LoopContext loop;
    private final ChannelSession session;
    private final long openedAt;
    private ChannelHandlerContext ctx;
    private int loopSlot = -1;
    private long lastActivity;
    /** Since when the socket takes no more bytes ({@link System#nanoTime()}), or 0 while it does. */
    private long unwritableSince;
    private boolean counted;
    private CloseReason closeReason;

    WebSocketConnection(ServerRuntime runtime, LoopContext loop, ChannelSession session, long openedAt) {
        this.runtime = runtime;
        this.stats = runtime.stats();
        this.loop = loop;
        this.session = session;
        this.openedAt = openedAt;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        counted = true;
        lastActivity = System.nanoTime();
        loop.add(this);
        stats.webSocket().sessionOpened();
    }

    /** Why the connection is closing; the first reason set wins. */
    void closeReason(CloseReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    /** A blocking send was not written within the write timeout (counted as {@link TimeoutKind#WRITE}). */
    void writeTimedOut() {
        stats.timeout(TimeoutKind.WRITE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            stats.received(((ByteBuf) msg).readableBytes());
        }
        lastActivity = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long bytes = msg instanceof ByteBuf ? ((ByteBuf) msg).readableBytes()
                : msg instanceof ByteBufHolder ? ((ByteBufHolder) msg).content().readableBytes() : 0;
        stats.sent(bytes);
        lastActivity = System.nanoTime();
        ctx.write(msg, promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        unwritableSince = ctx.channel().isWritable() ? 0 : Math.max(1, System.nanoTime());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        loop.remove(this);
        // Both counted before the application hears of the close (further down the pipeline), the
        // session first: whoever sees the connection counted closed sees its session closed too.
        session.countClosed();
        if (counted) {
            counted = false;
            stats.connectionClosed(closeReason == null ? CloseReason.CLIENT : closeReason, System.nanoTime() - openedAt);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void checkTimeouts(long now) {
        if (session.closeHandshake().timedOut(now)) {
            // Whoever started the close, the connection ends because the client never answered.
            closeReason = CloseReason.CLOSE_TIMEOUT;
            ctx.close();
            return;
        }
        if (unwritableSince != 0 && now - unwritableSince >= session.config().writeTimeout().toNanos()) {
            // The client stopped reading: what the application queued would only pile up.
            closeReason = CloseReason.WRITE_TIMEOUT;
            stats.timeout(TimeoutKind.WRITE);
            ctx.close();
            return;
        }
        if (runtime.draining() && !session.closeHandshake().closing()) {
            // Upgraded after the drain went round the loop's connections: it goes away too.
            drain(now);
            return;
        }
        long idle = session.idleTimeoutNanos();
        if (idle > 0 && !session.closeHandshake().closing() && now - lastActivity >= idle) {
            session.closeHandshake().start(CloseCodes.GOING_AWAY, "idle timeout", CloseReason.IDLE_TIMEOUT);
        }
    }

    @Override
    public void drain(long now) {
        session.closeHandshake().start(CloseCodes.GOING_AWAY, "server shutting down", CloseReason.SHUTDOWN);
    }

    @Override
    public void forceClose() {
        closeReason(CloseReason.SHUTDOWN);
        ctx.close();
    }

    @Override
    public int loopSlot() {
        return loopSlot;
    }

    @Override
    public void loopSlot(int slot) {
        this.loopSlot = slot;
    }
}
