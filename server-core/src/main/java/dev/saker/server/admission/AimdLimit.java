package dev.saker.server.admission;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A concurrency limit that adapts to latency, additive increase and multiplicative decrease (as
 * Netflix's concurrency-limits and Helidon's AIMD): a request faster than the threshold raises the
 * limit by one, but only while at least half of it is in use (an idle server learns nothing about
 * its capacity); a slower one, or one the application answered 503, multiplies it by the backoff
 * ratio. The limit stays within [min, max].
 */
final class AimdLimit {

    private final AtomicInteger limit;
    private final int min;
    private final int max;
    private final long thresholdNanos;
    private final double backoffRatio;

    AimdLimit(int initial, int min, int max, long thresholdNanos, double backoffRatio) {
        this.min = min;
        this.max = max;
        this.limit = new AtomicInteger(Math.max(min, Math.min(max, initial)));
        this.thresholdNanos = thresholdNanos;
        this.backoffRatio = backoffRatio;
    }

    int limit() {
        return limit.get();
    }

    /**
     * Learns from one finished request.
     *
     * @param inFlight requests running when it finished, itself included
     * @param overloaded whether the application answered 503
     */
    void onSample(long latencyNanos, int inFlight, boolean overloaded) {
        for (;;) {
            int current = limit.get();
            int next;
            if (overloaded || latencyNanos > thresholdNanos) {
                int lowered = (int) (current * backoffRatio);
                next = Math.max(min, Math.min(lowered, current - 1));
            } else if (inFlight * 2 >= current) {
                next = Math.min(max, current + 1);
            } else {
                return;
            }
            if (next == current || limit.compareAndSet(current, next)) {
                return;
            }
        }
    }
}
