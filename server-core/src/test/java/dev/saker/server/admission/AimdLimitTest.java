package dev.saker.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AimdLimitTest {

    private static final long FAST = 1_000_000L;
    private static final long SLOW = 5_000_000_000L;
    private static final long THRESHOLD = 1_000_000_000L;

    @Test
    void fastRequestsUnderLoadRaiseTheLimitByOneUpToTheMaximum() {
        AimdLimit limit = new AimdLimit(10, 2, 12, THRESHOLD, 0.5);
        limit.onSample(FAST, 5, false);
        assertThat(limit.limit()).isEqualTo(11);
        limit.onSample(FAST, 11, false);
        limit.onSample(FAST, 12, false);
        limit.onSample(FAST, 12, false);
        assertThat(limit.limit()).isEqualTo(12);
    }

    @Test
    void fastRequestsOnAnIdleServerLeaveTheLimit() {
        AimdLimit limit = new AimdLimit(10, 2, 100, THRESHOLD, 0.5);
        limit.onSample(FAST, 4, false);
        assertThat(limit.limit()).isEqualTo(10);
    }

    @Test
    void aSlowRequestOrA503MultipliesTheLimitDownToTheMinimum() {
        AimdLimit limit = new AimdLimit(40, 3, 100, THRESHOLD, 0.5);
        limit.onSample(SLOW, 1, false);
        assertThat(limit.limit()).isEqualTo(20);
        limit.onSample(FAST, 1, true);
        assertThat(limit.limit()).isEqualTo(10);
        limit.onSample(SLOW, 1, false);
        limit.onSample(SLOW, 1, false);
        limit.onSample(SLOW, 1, false);
        assertThat(limit.limit()).isEqualTo(3);
    }

    @Test
    void aRatioCloseToOneStillLowersTheLimitByAtLeastOne() {
        AimdLimit limit = new AimdLimit(5, 1, 100, THRESHOLD, 0.99);
        limit.onSample(SLOW, 1, false);
        assertThat(limit.limit()).isEqualTo(4);
    }

    @Test
    void theConcurrencyLimitFollowsTheAdaptiveLimit() {
        AimdLimit aimd = new AimdLimit(2, 1, 4, THRESHOLD, 0.5);
        ConcurrencyLimit limit = new ConcurrencyLimit(4, aimd);
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).as("at the initial limit of 2").isFalse();
        limit.release(FAST, 200); // 2 were running: at least half the limit, so +1
        assertThat(limit.limit()).isEqualTo(3);
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isTrue();
        assertThat(limit.tryAcquire()).isFalse();
        limit.release(SLOW, 200);
        assertThat(limit.limit()).isEqualTo(1);
        assertThat(limit.inFlight()).isEqualTo(2);
        assertThat(limit.tryAcquire()).isFalse();
    }
}
