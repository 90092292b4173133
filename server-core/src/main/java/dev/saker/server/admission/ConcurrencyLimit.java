package dev.saker.server.admission;

import java.util.concurrent.atomic.AtomicInteger;

/** Requests running at once, server-wide, against a fixed limit or an {@link AimdLimit}. */
final class ConcurrencyLimit {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final int fixed;
    private final AimdLimit adaptive;

    /** @param adaptive the adaptive limit, or null for {@code fixed} */
    ConcurrencyLimit(int fixed, AimdLimit adaptive) {
        this.fixed = fixed;
        this.adaptive = adaptive;
    }

    /** @return whether a permit was taken (give it back with {@link #release}) */
    boolean tryAcquire() {
        int limit = limit();
        for (;;) {
            int current = inFlight.get();
            if (current >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back a permit of a request that took {@code latencyNanos} and was answered {@code status}. */
    void release(long latencyNanos, int status) {
        int running = inFlight.getAndDecrement();
        if (adaptive != null) {
            adaptive.onSample(latencyNanos, running, status == 503);
        }
    }

    int limit() {
        return adaptive == null ? fixed : adaptive.limit();
    }

    int inFlight() {
        return inFlight.get();
    }
}
