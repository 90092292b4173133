package dev.saker.server.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.Poll;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue between the event loops and the writer: bounded, never blocking, drops counted. */
class AccessLogQueueTest {

    private static AccessRecord record(int status) {
        return new AccessRecord(new InetSocketAddress("127.0.0.1", 1), "GET", "/" + status, "HTTP/1.1", status, 0, 0, 0,
                null, null, status, "t", new String[0], new String[0]);
    }

    /** Blocks the writer on its first line until released. */
    private static final class BlockingOutput implements AccessLogOutput {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final LineCapture lines = new LineCapture();

        @Override
        public void write(String line) throws java.io.IOException {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lines.write(line);
        }

        @Override
        public void endBatch() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
        BlockingOutput output = new BlockingOutput();
        AccessLog log = AccessLog.builder().pattern("%s").queueSize(2).output(output).build();
        try {
            log.log(record(201));
            assertThat(output.entered.await(10, TimeUnit.SECONDS)).isTrue();
            // The writer holds the first record; two fit in the queue, three do not.
            for (int i = 0; i < 5; i++) {
                log.log(record(202 + i));
            }
            assertThat(log.dropped()).isEqualTo(3);
            assertThat(log.queued()).isEqualTo(2);
            output.release.countDown();
            assertThat(output.lines.next()).isEqualTo("201");
            assertThat(output.lines.next()).isEqualTo("202");
            assertThat(output.lines.next()).isEqualTo("203");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> log.written() == 3)).isTrue();
        } finally {
            output.release.countDown();
            assertThat(log.close(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(output.lines.pending()).isZero();
    }

    @Test
    void closeWritesWhatIsQueuedThenDropsLateRecords() throws Exception {
        LineCapture lines = new LineCapture();
        AccessLog log = AccessLog.builder().pattern("%s").output(lines).build();
        for (int i = 0; i < 100; i++) {
            log.log(record(200));
        }
        assertThat(log.close(10, TimeUnit.SECONDS)).isTrue();
        assertThat(log.written()).isEqualTo(100);
        assertThat(lines.closed()).isTrue();
        assertThat(lines.batches()).isGreaterThanOrEqualTo(1);
        log.log(record(200));
        assertThat(log.dropped()).isEqualTo(1);
    }
}
