package dev.saker.server.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition that another thread makes true: tests poll, they never sleep a guess. */
public final class Poll {

    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Poll() {
    }

    /** @return whether {@code condition} held within {@code timeout}, checked every few milliseconds */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(INTERVAL_NANOS);
        }
        return true;
    }
}
