package dev.saker.server.admission;

/**
 * A token bucket per client, computed lazily from the clock on each request (no timer): the
 * generic cell rate algorithm keeps one timestamp per client, the time at which its bucket would
 * be full again. A request moves it one interval later; when that lands beyond now by more than
 * {@code burst} intervals, the bucket is empty and the request waits the difference.
 */
final class TokenBucket {

    private final long intervalNanos;
    private final long toleranceNanos;

    TokenBucket(double requestsPerSecond, int burst) {
        this.intervalNanos = Math.max(1, (long) Math.ceil(1e9 / requestsPerSecond));
        long tolerance;
        try {
            tolerance = Math.multiplyExact(intervalNanos, (long) burst);
        } catch (ArithmeticException e) {
            tolerance = Long.MAX_VALUE / 4;
        }
        this.toleranceNanos = Math.min(tolerance, Long.MAX_VALUE / 4);
    }

    /** @return 0 when {@code client} had a token (now taken), else the nanoseconds until it has one */
    long take(ClientEntry client, long now) {
        for (;;) {
            long tat = client.tat();
            long base = tat - now > 0 ? tat : now;
            long next = base + intervalNanos;
            long ahead = next - now;
            if (ahead > toleranceNanos) {
                return ahead - toleranceNanos;
            }
            if (client.casTat(tat, next)) {
                return 0;
            }
        }
    }

    /** @return whether {@code client}'s bucket is full at {@code now} (forgetting it loses nothing) */
    boolean full(ClientEntry client, long now) {
        return client.tat() - now <= 0;
    }
}
