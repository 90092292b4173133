package dev.saker.server.http2;

import dev.saker.server.connection.Connection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.http.HttpHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;
import javax.net.ssl.SSLSession;

/**
 * The {@link Connection} side of one HTTP/2 connection: counts it, keeps it on its loop's list,
 * closes it when it has had no open stream for the keep-alive timeout, and on shutdown sends a
 * GOAWAY and closes it once it has had no open stream for the drain grace, and
 * counts the bytes in and out; its sweep also bounds its streams' non-blocking waits
 * ({@link StreamWaits}). Sits in front of the frame codec and passes every event on. Runs
 * on the connection's loop only.
 */
final class Http2Connection extends ChannelDuplexHandler implements Connection {

    private final Http2Runtime rt;
    private final LoopContext loop;
    private ChannelHandlerContext ctx;
    private SSLSession sslSession;
    private int loopSlot = -1;
    private long openedAt;
    private long idleSince;
    private int openStreams;
    /** Handlers running on this connection's streams (event loop only). */
    private int handlersRunning;
    private final ArrayDeque<Runnable> waitingHandlers = new ArrayDeque<>();
    /** Its streams' non-blocking waits for the client, bounded by the sweep. */
    final StreamWaits waits = new StreamWaits();
    /** The server drains and this connection's GOAWAY has gone out. */
    private boolean goingAway;
    private boolean counted;
    private CloseReason closeReason;
    /** Stream 1's request body when an HTTP/1.1 upgrade made this connection, until stream 1 takes it. */
    private boolean upgradePending;
    private ByteBuf upgradeData;
    private HttpHeaders upgradeTrailers;

    Http2Connection(Http2Runtime rt, LoopContext loop) {
        this.rt = rt;
        this.loop = loop;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        sslSession = tls == null ? null : tls.engine().getSession();
        Long acceptedAt = ctx.channel().attr(ACCEPTED_AT).get();
        if (acceptedAt == null) {
            rt.stats.connectionOpened();
            openedAt = System.nanoTime();
        } else {
            // An earlier stage (the TLS handshake) counted the connection: take it over.
            openedAt = acceptedAt;
        }
        counted = true;
        idleSince = System.nanoTime();
        loop.add(this);
        // Made while the server drains (accepted just before): the sweep sends its GOAWAY once the
        // frame codec behind this handler is in place, and closes it after the drain grace.
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        loop.remove(this);
        dropUpgradeBody();
        if (counted) {
            counted = false;
            rt.stats.connectionClosed(closeReason == null ? CloseReason.CLIENT : closeReason, System.nanoTime() - openedAt);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            // The listener allows half-closure for HTTP/1.1; an HTTP/2 client that stops sending
            // has nothing more to say (a stream needs frames both ways), so the connection ends.
            close(CloseReason.CLIENT);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            rt.stats.received(((ByteBuf) msg).readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf) {
            rt.stats.sent(((ByteBuf) msg).readableBytes());
        }
        ctx.write(msg, promise);
    }

    /** This connection came from an HTTP/1.1 upgrade: stream 1 gets this body (either may be null). */
    void upgradedWith(ByteBuf data, HttpHeaders trailers) {
        upgradePending = true;
        upgradeData = data;
        upgradeTrailers = trailers;
    }

    /**
     * Gives the upgrade request's body to stream 1's {@code body}, or drops it when stream 1 was
     * answered without one ({@code body} null). Other streams: nothing.
     */
    void feedUpgradeBody(int streamId, Http2RequestBody body) {
        if (streamId != Http2CodecUtil.HTTP_UPGRADE_STREAM_ID || !upgradePending) {
            return;
        }
        if (body == null) {
            dropUpgradeBody();
            return;
        }
        upgradePending = false;
        ByteBuf data = upgradeData;
        upgradeData = null;
        if (data != null) {
            body.offer(data, upgradeTrailers == null);
        }
        if (upgradeTrailers != null) {
            body.end(upgradeTrailers);
        }
    }

    private void dropUpgradeBody() {
        upgradePending = false;
        if (upgradeData != null) {
            upgradeData.release();
            upgradeData = null;
        }
    }

    /**
     * The codec sent a GOAWAY: one with an error code is a connection error the codec closes the
     * connection for, and names why it closes (a graceful NO_ERROR one changes nothing).
     */
    void goAwaySent(long errorCode) {
        if (closeReason == null && errorCode != Http2Error.NO_ERROR.code()) {
            closeReason = errorCode == Http2Error.ENHANCE_YOUR_CALM.code() ? CloseReason.FLOOD : CloseReason.PROTOCOL_ERROR;
        }
    }

    SSLSession sslSession() {
        return sslSession;
    }

    /** A stream began (its request head arrived). */
    void streamOpened() {
        openStreams++;
    }

    /**
     * Runs {@code start} now if fewer than {@link ServerConfig#http2MaxHandlersPerConnection()}
     * handlers of this connection run, else when one returns (first come, first served; the queue
     * is bounded by the streams a client may open). Called on the event loop; {@code start} runs
     * there and must end with one {@link #handlerReturned()}.
     */
    void startHandler(Runnable start) {
        if (handlersRunning < rt.config.http2MaxHandlersPerConnection()) {
            handlersRunning++;
            start.run();
        } else {
            waitingHandlers.add(start);
        }
    }

    /** A handler returned, or a waiting one was given up (on any thread): its slot passes on. */
    void handlerReturned() {
        if (ctx.executor().inEventLoop()) {
            passSlotOn();
        } else {
            ctx.executor().execute(this::passSlotOn);
        }
    }

    private void passSlotOn() {
        Runnable next = waitingHandlers.poll();
        if (next == null) {
            handlersRunning--;
        } else {
            next.run();
        }
    }

    /** A stream ended, either way; a draining connection left with none closes after the grace (the sweep). */
    void streamClosed() {
        openStreams--;
        if (openStreams == 0) {
            idleSince = System.nanoTime();
            if (goingAway && rt.drainIdleGraceNanos == 0) {
                close(CloseReason.SHUTDOWN);
            }
        }
    }

    @Override
    public void checkTimeouts(long now) {
        waits.check(now);
        if (rt.shared.draining()) {
            drain(now);
            if (!ctx.channel().isOpen()) {
                return;
            }
        }
        if (openStreams == 0 && now - idleSince > rt.keepAliveTimeoutNanos) {
            rt.stats.timeout(TimeoutKind.KEEP_ALIVE);
            close(CloseReason.KEEP_ALIVE_TIMEOUT);
        }
    }

    @Override
    public void drain(long now) {
        if (!goingAway) {
            goingAway = true;
            // GOAWAY now, naming the last stream taken: the client opens no more, those open finish.
            ctx.channel().writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
        }
        // Kept for the grace after its last stream: frames the client sent before it read the
        // GOAWAY arrive on an open socket instead of drawing a reset that could destroy answers
        // it has not read yet.
        if (openStreams == 0 && rt.shared.drainGraceOver(idleSince, now)) {
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
