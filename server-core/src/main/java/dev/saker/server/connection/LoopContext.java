package dev.saker.server.connection;

import dev.saker.server.dispatch.Dispatcher;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What one event loop shares among its connections, touched only from that loop: the list of its
 * connections (for the timeout sweep and shutdown) and the precomputed {@code Date} field, which
 * the sweep refreshes at most once a second. One periodic task per loop replaces a timer per request.
 */
public final class LoopContext {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final EventLoop loop;
    private final List<Connection> connections = new ArrayList<>();
    /** The size of {@link #connections}, written by the loop only, readable from any thread (monitoring). */
    private volatile int connectionCount;
    private volatile byte[] dateLine;
    private long dateSecond;
    private ScheduledFuture<?> sweeper;
    private final Dispatcher dispatcher;
    private final Runnable signalDispatcher;
    private boolean signalScheduled;

    LoopContext(EventLoop loop, Dispatcher dispatcher) {
        this.loop = loop;
        this.dispatcher = dispatcher;
        this.signalDispatcher = () -> {
            signalScheduled = false;
            dispatcher.signal();
        };
        refreshDate(System.currentTimeMillis());
    }

    /**
     * Hands {@code task} to the worker pool from the loop. The pool is signalled once, by a loop task
     * that runs after this read batch, so a batch of N requests wakes one worker rather than N (each
     * wake-up can preempt the loop on a busy core). Call on the loop.
     *
     * @throws RejectedExecutionException when the pool and its queue are full
     */
    public void dispatch(Runnable task) {
        dispatcher.executeDeferred(task);
        if (!signalScheduled) {
            signalScheduled = true;
            try {
                loop.execute(signalDispatcher);
            } catch (RejectedExecutionException loopShuttingDown) {
                // The task is queued already: it must not be refused now, so wake the pool directly.
                signalScheduled = false;
                dispatcher.signal();
            }
        }
    }

    public EventLoop loop() {
        return loop;
    }

    /** Starts the periodic sweep; {@code tickMillis} bounds how late a timeout may fire. */
    void start(long tickMillis) {
        sweeper = loop.scheduleAtFixedRate(this::sweep, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Cancels the periodic sweep (when the server stops). */
    public void stopSweep() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }

    /** Tells this loop's connections that the server drains ({@link Connection#drain(long)}). Call on the loop. */
    public void drainConnections() {
        long now = System.nanoTime();
        for (Connection connection : connections()) {
            connection.drain(now);
        }
    }

    /** Closes every connection of this loop now. Call on the loop. */
    public void closeConnections() {
        for (Connection connection : connections()) {
            connection.forceClose();
        }
    }

    /** @return the current {@code Date} field with its CRLF, refreshed by the sweep */
    public byte[] dateLine() {
        return dateLine;
    }

    /** Puts {@code connection} on this loop's list (for the sweep and shutdown). */
    public void add(Connection connection) {
        connection.loopSlot(connections.size());
        connections.add(connection);
        connectionCount = connections.size();
    }

    /** Takes {@code connection} off this loop's list; nothing if it is not on it. */
    public void remove(Connection connection) {
        int index = connection.loopSlot();
        if (index < 0) {
            return;
        }
        Connection last = connections.remove(connections.size() - 1);
        if (last != connection) {
            connections.set(index, last);
            last.loopSlot(index);
        }
        connection.loopSlot(-1);
        connectionCount = connections.size();
    }

    /** @return the connections this loop serves now; readable from any thread */
    public int connectionCount() {
        return connectionCount;
    }

    /** @return a snapshot of this loop's connections (call on the loop) */
    public List<Connection> connections() {
        return new ArrayList<>(connections);
    }

    private void sweep() {
        refreshDate(System.currentTimeMillis());
        long now = System.nanoTime();
        // Backwards, because a timed-out connection removes itself from the list.
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i < connections.size()) {
                connections.get(i).checkTimeouts(now);
            }
        }
    }

    private void refreshDate(long millis) {
        long second = millis / 1000;
        if (second != dateSecond || dateLine == null) {
            dateSecond = second;
            dateLine = ("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
    }
}
