package dev.saker.servlet.session;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Monitoring figures of one {@link SessionManager} since it was made, as Tomcat's manager keeps
 * them: sessions created, sessions that expired (ran past their timeout; an explicit
 * {@code invalidate()} or the shutdown of the context is not an expiry), the most sessions alive
 * at once, the longest life of an expired session, and sessions refused because the most allowed
 * were alive.
 */
public final class SessionCounts {

    private final LongAdder created = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicInteger activeMax = new AtomicInteger();
    private final AtomicLong aliveMaxMillis = new AtomicLong();

    void created(int activeNow) {
        created.increment();
        active(activeNow);
    }

    void active(int activeNow) {
        activeMax.accumulateAndGet(activeNow, Math::max);
    }

    void expired(long aliveMillis) {
        expired.increment();
        aliveMaxMillis.accumulateAndGet(aliveMillis, Math::max);
    }

    void rejection() {
        rejected.increment();
    }

    /** @return sessions created (restored ones, read back from a session store, are not counted again) */
    public long created() {
        return created.sum();
    }

    /** @return sessions removed because they were idle past their timeout */
    public long expired() {
        return expired.sum();
    }

    /** @return sessions refused because {@code maxActiveSessions} were alive (as Tomcat's {@code rejectedSessions}) */
    public long rejected() {
        return rejected.sum();
    }

    /** @return the most sessions that were alive at once */
    public int activeMax() {
        return activeMax.get();
    }

    /** @return the longest time, in milliseconds, that an expired session had lived (creation to expiry) */
    public long aliveMaxMillis() {
        return aliveMaxMillis.get();
    }
}
