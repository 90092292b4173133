package dev.saker.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketGivesBurstTokensThenTheWaitForTheNext() throws Exception {
        TokenBucket bucket = new TokenBucket(2, 3);
        long now = 5 * SECOND;
        ClientEntry client = new ClientEntry(ClientKey.of(InetAddress.getByName("127.0.0.1"), 64), now);
        assertThat(bucket.full(client, now)).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.take(client, now)).as("token %d of the burst", i).isZero();
        }
        assertThat(bucket.full(client, now)).isFalse();
        // Two per second: the next token comes half a second later.
        assertThat(bucket.take(client, now)).isEqualTo(SECOND / 2);
    }

    @Test
    void tokensRefillWithTheClockAndTheBucketNeverHoldsMoreThanTheBurst() throws Exception {
        TokenBucket bucket = new TokenBucket(10, 2);
        long now = -7 * SECOND; // nanoTime may be negative
        ClientEntry client = new ClientEntry(ClientKey.of(InetAddress.getByName("::1"), 64), now);
        assertThat(bucket.take(client, now)).isZero();
        assertThat(bucket.take(client, now)).isZero();
        assertThat(bucket.take(client, now)).isPositive();
        now += SECOND / 10;
        assertThat(bucket.take(client, now)).as("one token after 100 ms").isZero();
        assertThat(bucket.take(client, now)).isPositive();
        now += 60 * SECOND;
        assertThat(bucket.full(client, now)).isTrue();
        assertThat(bucket.take(client, now)).isZero();
        assertThat(bucket.take(client, now)).isZero();
        assertThat(bucket.take(client, now)).as("a long idle time still fills only the burst").isPositive();
    }

    @Test
    void aRefusedRequestTakesNoToken() throws Exception {
        TokenBucket bucket = new TokenBucket(1, 1);
        ClientEntry client = new ClientEntry(ClientKey.of(InetAddress.getByName("127.0.0.1"), 64), 0);
        assertThat(bucket.take(client, 0)).isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(bucket.take(client, 0)).isEqualTo(SECOND);
        }
        assertThat(bucket.take(client, SECOND)).isZero();
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() {
        assertThat(Rejection.rate(1).retryAfter()).isEqualTo("1");
        assertThat(Rejection.rate(SECOND).retryAfter()).isEqualTo("1");
        assertThat(Rejection.rate(SECOND + 1).retryAfter()).isEqualTo("2");
        assertThat(Rejection.rate(SECOND).status()).isEqualTo(429);
    }
}
