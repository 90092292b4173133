package dev.saker.server.http2;

import java.util.ArrayList;

/**
 * The non-blocking waits of one HTTP/2 connection's streams (a body read waiting for DATA, a
 * writer waiting for flow-control window), each bounded by its timeout. The loop's sweep checks
 * them through the connection, so a wait costs a list slot and a clock read, never a timer.
 * Loop only.
 */
final class StreamWaits {

    /** One stream's wait of one kind, reused for each wait; {@code onExpiry} runs on the loop. */
    static final class Wait {
        private final long timeoutNanos;
        private final Runnable onExpiry;
        private int slot = -1;
        private long since;

        Wait(long timeoutNanos, Runnable onExpiry) {
            this.timeoutNanos = timeoutNanos;
            this.onExpiry = onExpiry;
        }

        /** @return whether this wait is under way */
        boolean active() {
            return slot >= 0;
        }
    }

    private final ArrayList<Wait> waiting = new ArrayList<>();

    /** A wait begins now (or begins again, its clock reset). */
    void begin(Wait wait) {
        wait.since = System.nanoTime();
        if (wait.slot < 0) {
            wait.slot = waiting.size();
            waiting.add(wait);
        }
    }

    /** The wait is over (or was never under way). */
    void end(Wait wait) {
        int slot = wait.slot;
        if (slot < 0) {
            return;
        }
        Wait last = waiting.remove(waiting.size() - 1);
        if (last != wait) {
            waiting.set(slot, last);
            last.slot = slot;
        }
        wait.slot = -1;
    }

    /** Ends every wait older than its timeout at {@code now} and runs its expiry. */
    void check(long now) {
        for (int i = waiting.size() - 1; i >= 0; i--) {
            // an expiry may end other waits of the connection (a reset stream): skip past the end
            if (i >= waiting.size()) {
                continue;
            }
            Wait wait = waiting.get(i);
            if (now - wait.since > wait.timeoutNanos) {
                end(wait);
                wait.onExpiry.run();
            }
        }
    }
}
