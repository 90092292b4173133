package dev.saker.server.lifecycle;

import dev.saker.server.observe.ServerStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enforces {@code maxConnections} by pausing accept, never by closing: at the limit every listening
 * channel stops reading (auto-read off), so new connections wait in the kernel's backlog (their TCP
 * handshake completes there) and are accepted as soon as an open connection closes. A load
 * balancer never sees a reset from a healthy but busy server.
 *
 * <p>Connections are counted from accept to the close of their channel (whether or not they ever
 * became active), on whichever loop that happens. The listeners of one server (one per event loop
 * with SO_REUSEPORT, or one shared acceptor) pause and resume together. A listener reads accepts in
 * batches before they are counted, so the limit may be passed by the rest of one batch; those
 * connections are served too.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInboundHandlerAdapter {

    private final int max;
    private final ServerStats stats;
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ChannelFutureListener onClose = f -> released();
    /** Written before {@link #open} is re-read, and read after it is changed (see {@link #reconsider()}). */
    private volatile boolean paused;

    AcceptGate(int max, ServerStats stats) {
        this.max = max;
        this.stats = stats;
    }

    /** Adds a bound listener; it pauses with the others. */
    void add(Channel listener) {
        listeners.add(listener);
        reconsider();
    }

    /** @return connections accepted and not yet closed */
    int open() {
        return open.get();
    }

    /** @return whether the listeners are paused at the limit */
    boolean paused() {
        return paused;
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
                stats.acceptPaused();
                setAutoRead(false);
                return;
            }
            paused = false;
        } else if (!full && paused) {
            paused = false;
            setAutoRead(true);
        }
    }

    private void setAutoRead(boolean on) {
        for (Channel listener : listeners) {
            // Thread-safe: the change itself runs on the listener's loop, in call order.
            listener.config().setAutoRead(on);
        }
    }
}
