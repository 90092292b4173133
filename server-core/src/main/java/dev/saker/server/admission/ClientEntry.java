package dev.saker.server.admission;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * What the server remembers of one client: its open connections and its token bucket (as the
 * theoretical arrival time of GCRA: one long, updated by compare-and-set). An entry the table
 * evicts is marked dead (connections -1) so that a racing connection never counts on it.
 */
final class ClientEntry {

    static final int OPENED = 1;
    static final int OVER_LIMIT = 0;
    static final int DEAD = -1;

    private static final AtomicIntegerFieldUpdater<ClientEntry> CONNECTIONS =
            AtomicIntegerFieldUpdater.newUpdater(ClientEntry.class, "connections");
    private static final AtomicLongFieldUpdater<ClientEntry> TAT =
            AtomicLongFieldUpdater.newUpdater(ClientEntry.class, "tat");

    final ClientKey key;
    private volatile int connections;
    /** GCRA's theoretical arrival time, in the clock's nanoseconds: at or before now, the bucket is full. */
    private volatile long tat;
    /** Second chance of the table's clock hand: set on use, cleared as the hand passes. */
    volatile boolean recent = true;

    ClientEntry(ClientKey key, long now) {
        this.key = key;
        this.tat = now;
    }

    /** @return {@link #OPENED}, {@link #OVER_LIMIT} at {@code max} open connections, or {@link #DEAD} (look it up again) */
    int tryOpen(int max) {
        for (;;) {
            int open = connections;
            if (open < 0) {
                return DEAD;
            }
            if (open >= max) {
                return OVER_LIMIT;
            }
            if (CONNECTIONS.compareAndSet(this, open, open + 1)) {
                return OPENED;
            }
        }
    }

    void closed() {
        CONNECTIONS.decrementAndGet(this);
    }

    int connections() {
        return connections;
    }

    /** Marks an entry without connections dead; false if it has one (or is dead already). */
    boolean retire() {
        return CONNECTIONS.compareAndSet(this, 0, -1);
    }

    long tat() {
        return tat;
    }

    boolean casTat(long expected, long next) {
        return TAT.compareAndSet(this, expected, next);
    }
}
