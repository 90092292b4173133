package dev.saker.server.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Holds frames back while the application paused reading. Sits right behind the frame decoder and
 * in front of the inflater, so what waits here is at most the rest of one socket read, still
 * compressed: a paused session never holds inflated data it has not asked for. Socket reads stop
 * at the same time (auto-read off). Event loop only.
 */
final class ReadGate extends ChannelInboundHandlerAdapter {

    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean paused;
    private boolean stopped;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (stopped) {
            ReferenceCountUtil.release(msg);
        } else if (paused) {
            pending.add(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    boolean paused() {
        return paused;
    }

    void pause() {
        if (!paused && !stopped) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Passes the held frames on in order (until the application pauses again), then reads again. */
    void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        Object msg;
        boolean delivered = false;
        while (!paused && !stopped && (msg = pending.poll()) != null) {
            delivered = true;
            ctx.fireChannelRead(msg);
        }
        if (delivered) {
            // Ends the batch as a socket read does, so the answers written meanwhile are flushed.
            ctx.fireChannelReadComplete();
        }
        if (!paused && !stopped) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Drops whatever is held and everything that follows: the session failed or finished closing. */
    void stop() {
        stopped = true;
        paused = false;
        Object msg;
        while ((msg = pending.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }
}
