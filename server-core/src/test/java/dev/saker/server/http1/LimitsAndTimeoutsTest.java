package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limits and timeouts that are not rows of the conformance table. */
class LimitsAndTimeoutsTest {

    private SakerServer server;

    private int start(ServerConfig.Builder config, HttpHandler handler) {
        server = SakerServer.create(config.host("127.0.0.1").port(0).ioThreads(1).build(), handler).start();
        return server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedAtTheWriteTimeout() throws Exception {
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        CountDownLatch writerDone = new CountDownLatch(1);
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.WORKER_POOL).writeTimeout(Duration.ofMillis(400)),
                ex -> {
                    byte[] block = new byte[64 * 1024];
                    try (OutputStream out = ex.responseBody()) {
                        for (int i = 0; i < 4096; i++) {
                            out.write(block);
                        }
                    } catch (IOException e) {
                        writerFailure.set(e);
                        throw e;
                    } finally {
                        writerDone.countDown();
                    }
                });
        try (RawClient client = new RawClient(port)) {
            client.socket().setReceiveBufferSize(4096);
            client.send("GET /huge HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(writerDone.await(10, TimeUnit.SECONDS)).as("writer released").isTrue();
            assertThat(writerFailure.get()).isInstanceOf(IOException.class);
            assertThat(server.stats().timeouts(TimeoutKind.WRITE)).isEqualTo(1);
            assertThat(server.stats().connectionsClosed(CloseReason.WRITE_TIMEOUT)).isEqualTo(1);
        }
    }

    @Test
    void aFinalResponseTheClientNeverReadsIsDroppedAtTheWriteTimeout() throws Exception {
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.EVENT_LOOP).writeTimeout(Duration.ofMillis(300)),
                ex -> {
                    ex.responseHeaders().set("Connection", "close");
                    ex.send(new byte[32 * 1024 * 1024]);
                });
        try (RawClient client = new RawClient(port)) {
            client.socket().setReceiveBufferSize(4096);
            client.send("GET /huge HTTP/1.1\r\nHost: a\r\n\r\n");
            Poll.until(Duration.ofSeconds(10),
                    () -> server.stats().timeouts(TimeoutKind.WRITE) > 0 && server.stats().connectionsActive() == 0);
            assertThat(server.stats().timeouts(TimeoutKind.WRITE)).isEqualTo(1);
            assertThat(server.stats().connectionsActive()).as("connection dropped while closing").isZero();
            assertThat(server.stats().connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void aStalledBodyFailsTheReadWith408AndCloses() throws Exception {
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.WORKER_POOL).bodyReadTimeout(Duration.ofMillis(300)),
                ex -> {
                    try (InputStream in = ex.requestBody().asInputStream()) {
                        in.readAllBytes();
                    } catch (IOException e) {
                        readFailure.set(e);
                        throw e;
                    }
                    ex.send("unexpected");
                });
        try (RawClient client = new RawClient(port)) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(client.closedByServer(2_000)).isTrue();
        }
        assertThat(readFailure.get()).isInstanceOf(IOException.class);
        assertThat(server.stats().timeouts(TimeoutKind.BODY_READ)).isEqualTo(1);
    }

    @Test
    void theKeepAliveRequestLimitClosesTheConnection() throws Exception {
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.EVENT_LOOP).maxKeepAliveRequests(2),
                ex -> ex.send("n"));
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().header("Connection")).isNull();
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer(2_000)).isTrue();
        }
    }

    @Test
    void aFullWorkerPoolAnswers503AndCountsTheRejection() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.WORKER_POOL).workerThreads(1)
                .workerQueueCapacity(0), ex -> {
                    entered.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    ex.send("slow");
                });
        try (RawClient busy = new RawClient(port); RawClient extra = new RawClient(port)) {
            busy.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            extra.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response rejected = extra.read();
            assertThat(rejected.status()).isEqualTo(503);
            assertThat(rejected.header("Connection")).isEqualTo("close");
            assertThat(server.stats().requestsRejected()).isEqualTo(1);
            release.countDown();
            assertThat(busy.read().bodyText()).isEqualTo("slow");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aChunkedBodyOverTheLimitFailsWith413() throws Exception {
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.WORKER_POOL).maxRequestBodySize(8),
                ex -> {
                    try (InputStream in = ex.requestBody().asInputStream()) {
                        in.readAllBytes();
                    }
                    ex.send("unexpected");
                });
        try (RawClient client = new RawClient(port)) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(413);
            assertThat(client.closedByServer(2_000)).isTrue();
        }
        assertThat(server.stats().parseErrors()).containsEntry("body_too_large", 1L);
    }

    @Test
    void aSlowConsumerKeepsTheServersBufferedInputBounded() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong consumed = new AtomicLong();
        long size = 64L * 1024 * 1024;
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.WORKER_POOL), ex -> {
            release.await(20, TimeUnit.SECONDS);
            byte[] buf = new byte[32 * 1024];
            try (InputStream in = ex.requestBody().asInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    consumed.addAndGet(n);
                }
            }
            ex.send(Long.toString(consumed.get()));
        });
        long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        try (RawClient client = new RawClient(port, 20_000)) {
            AtomicLong sent = new AtomicLong();
            Thread uploader = new Thread(() -> {
                try {
                    client.send("PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + size + "\r\n\r\n");
                    byte[] block = new byte[64 * 1024];
                    for (long done = 0; done < size; done += block.length) {
                        client.send(block);
                        sent.addAndGet(block.length);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            uploader.start();
            // While the handler does not read, the upload stalls once socket buffers are full.
            awaitStable(sent::get);
            assertThat(sent.get()).isLessThan(size / 2);
            long buffered = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - directBefore;
            assertThat(buffered).as("direct memory held for the stalled upload").isLessThan(8L * 1024 * 1024);
            release.countDown();
            RawClient.Response response = client.read();
            uploader.join(20_000);
            assertThat(response.bodyText()).isEqualTo(Long.toString(size));
        } finally {
            release.countDown();
        }
    }

    /** Waits (bounded, 10 s) until {@code value} stops changing for half a second. */
    private static void awaitStable(LongSupplier value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = -1;
        int stableTicks = 0;
        while (System.nanoTime() < deadline && stableTicks < 10) {
            long now = value.getAsLong();
            stableTicks = now == last ? stableTicks + 1 : 0;
            last = now;
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
