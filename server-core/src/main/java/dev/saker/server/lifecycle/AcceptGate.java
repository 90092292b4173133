package dev.saker.server.lifecycle;

import dev.saker.server.observe.ServerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enforces {@code maxConnections} by pausing accept, never by closing: at the limit every listening
 * channel stops reading (auto-read off), so new connections wait in the kernel's backlog (their TCP
 * handshake completes there) and are accepted as soon as an open connection closes. A load
 * balancer never sees a reset from a healthy but busy server.
 *
 * <p>Connections are counted from accept to the close of their channel (whether or not they ever
 * became active), on whichever loop that happens. The listeners of one server (one per event loop
 * with SO_REUSEPORT, or one shared acceptor) pause and resume together. The limit is a little soft:
 * a listener on another loop stops only once its loop has run the pause, so a few connections may
 * pass it; those are served like any other.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInboundHandlerAdapter {

    private final int max;
    private final ServerStats stats;
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger unsettled = new AtomicInteger();
    private final ChannelFutureListener onClose = f -> released();
    /** Written before {@link #open} is re-read, and read after it is changed (see {@link #reconsider()}). */
    private volatile boolean paused;
    /** The decision the listeners follow; unlike {@link #paused} never set tentatively. */
    private volatile boolean stopped;

    AcceptGate(int max, ServerStats stats) {
        this.max = max;
        this.stats = stats;
    }

    /** Adds a bound listener; it pauses with the others. */
    synchronized void add(Channel listener) {
        listeners.add(listener);
        if (stopped) {
            // Bound after the others paused (listeners bind one after another): it pauses too.
            applyToListeners();
        } else {
            reconsider();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // First handler of a listener: msg is the accepted connection, before it is registered.
        Channel child = (Channel) msg;
        child.closeFuture().addListener(onClose);
        if (open.incrementAndGet() >= max) {
            reconsider();
        }
        ctx.fireChannelRead(msg);
    }

    private void released() {
        if (open.decrementAndGet() < max && paused) {
            reconsider();
        }
    }

    /**
     * Brings the listeners in line with the count. {@code paused} is set before the count is read
     * again, and a closing connection decrements before it reads {@code paused}: so either the pause
     * sees the decrement and undoes itself, or the closing thread sees the pause and resumes.
     */
    private synchronized void reconsider() {
        boolean full = open.get() >= max;
        if (full && !paused) {
            paused = true;
            if (open.get() >= max) {
                stopped = true;
                stats.acceptPaused();
                applyToListeners();
                return;
            }
            paused = false;
        } else if (!full && paused) {
            paused = false;
            stopped = false;
            applyToListeners();
        }
    }

    /**
     * Applies the current decision to every listener, on the listener's own loop: there Netty stops
     * a listener at once, while from another thread it may still accept once more. Each application
     * reads the latest decision, so whatever order they run in, every listener ends in the last one.
     */
    private void applyToListeners() {
        for (Channel listener : listeners) {
            EventLoop loop = listener.eventLoop();
            if (loop.inEventLoop()) {
                apply(listener);
                continue;
            }
            unsettled.incrementAndGet();
            try {
                loop.execute(() -> {
                    apply(listener);
                    unsettled.decrementAndGet();
                });
            } catch (RejectedExecutionException loopGone) {
                unsettled.decrementAndGet();
            }
        }
    }

    private void apply(Channel listener) {
        boolean on = !stopped;
        if (listener.config().isAutoRead() != on) {
            listener.config().setAutoRead(on);
        }
    }

    /**
     * @return whether accepting is paused and every listener has stopped: until then a listener on
     *         another loop may still accept one more connection (served like any other)
     */
    boolean pauseSettled() {
        return stopped && unsettled.get() == 0;
    }
}
