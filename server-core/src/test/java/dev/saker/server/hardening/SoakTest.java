package dev.saker.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.lifecycle.ShutdownResult;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mixed load (keep-alive, pipelined, uploads, streamed responses, client aborts and resets) against
 * one server, with leak detection on. Afterwards heap and file descriptors return to their baseline
 * and every request the client saw complete got exactly its own response. The CI run is short; set
 * {@code -Dsaker.soak.duration=PT10M} for the long one (see docs/reliability.md).
 */
class SoakTest {

    private static final Duration DURATION = Duration.parse(System.getProperty("saker.soak.duration", "PT12S"));
    private static final int CLIENTS = 8;

    private final AtomicLong handled = new AtomicLong();

    private final HttpHandler handler = ex -> {
        handled.incrementAndGet();
        String id = ex.requestHeaders().get("X-Id");
        ex.responseHeaders().set("X-Id", id == null ? "-" : id);
        switch (ex.path()) {
            case "/upload": {
                long n = 0;
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = ex.requestBody().asInputStream()) {
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        n += r;
                    }
                }
                ex.send(Long.toString(n));
                break;
            }
            case "/stream":
                try (OutputStream out = ex.responseBody()) {
                    for (int i = 0; i < 16; i++) {
                        out.write(new byte[4096]);
                    }
                }
                break;
            default:
                ex.send("hello " + id);
        }
    };

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // the long run (-Dsaker.soak.duration) outlasts the default 60 s
    void mixedLoadLeavesNothingBehind() throws Exception {
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .dispatchMode(DispatchMode.WORKER_POOL).workerThreads(32).build(), handler).start();
        long fdsBefore = openFds();
        long heapBefore = heapAfterGc();
        AtomicLong completed = new AtomicLong();
        AtomicLong mismatched = new AtomicLong();
        AtomicLong aborted = new AtomicLong();
        try {
            runClients(server.port(), DURATION, completed, mismatched, aborted, new AtomicBoolean(true));
            awaitIdle(server);
            System.out.printf("soak %s: %d responses completed, %d deliberate aborts, %d handled, %d mismatched, "
                    + "%d connections, %d bytes in, %d bytes out%n", DURATION, completed.get(), aborted.get(),
                    handled.get(), mismatched.get(), server.stats().connectionsAccepted(), server.stats().bytesReceived(),
                    server.stats().bytesSent());
            assertThat(mismatched.get()).as("responses that did not match their request").isZero();
            assertThat(completed.get()).isPositive();
            assertThat(aborted.get()).as("deliberate client aborts happened").isPositive();
            assertThat(server.stats().requestsActive()).isZero();
            // Every completed request was handled once; aborted ones may or may not have reached a handler.
            assertThat(handled.get()).isBetween(completed.get(), completed.get() + aborted.get());
        } finally {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
        long fdsAfter = openFds();
        long heapGrowth = heapAfterGc() - heapBefore;
        System.out.printf("soak %s: open fds %d -> %d, heap after GC grew by %d KiB%n", DURATION, fdsBefore, fdsAfter,
                heapGrowth / 1024);
        assertThat(fdsAfter).as("file descriptors back to the baseline").isLessThanOrEqualTo(fdsBefore + 5);
        assertThat(heapGrowth).as("heap growth after the soak").isLessThan(32L * 1024 * 1024);
    }

    @Test
    void gracefulShutdownUnderLoadLosesNoAcceptedRequest() throws Exception {
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .dispatchMode(DispatchMode.WORKER_POOL).workerThreads(32).build(), handler).start();
        AtomicLong completed = new AtomicLong();
        AtomicLong mismatched = new AtomicLong();
        AtomicLong aborted = new AtomicLong();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            AtomicBoolean allowAborts = new AtomicBoolean(false);
            Future<?> load = runner.submit(() -> {
                runClients(server.port(), Duration.ofSeconds(6), completed, mismatched, aborted, allowAborts);
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (completed.get() < 500 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            ShutdownResult result = server.shutdownGracefully(Duration.ofSeconds(10));
            load.get(30, TimeUnit.SECONDS);
            System.out.printf("graceful shutdown under load: %d requests handled, %d answered, drain took %d ms%n",
                    handled.get(), completed.get(), result.took().toMillis());
            assertThat(result.idle()).isTrue();
            assertThat(mismatched.get()).isZero();
            assertThat(handled.get()).as("every request a handler saw was answered to its client").isEqualTo(completed.get());
        } finally {
            runner.shutdownNow();
            server.stop();
        }
    }

    /** Runs CLIENTS threads of random traffic until {@code duration} has passed (or the server is gone). */
    private static void runClients(int port, Duration duration, AtomicLong completed, AtomicLong mismatched,
                                   AtomicLong aborted, AtomicBoolean allowAborts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long end = System.nanoTime() + duration.toNanos();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long seed = c * 7919L;
            clients.add(pool.submit(() -> {
                Random random = new Random(seed);
                long id = seed * 1_000_000;
                while (System.nanoTime() < end) {
                    try (RawClient client = new RawClient(port, 10_000)) {
                        int requests = 1 + random.nextInt(20);
                        for (int i = 0; i < requests && System.nanoTime() < end; i++) {
                            id++;
                            int action = random.nextInt(100);
                            if (allowAborts.get() && action < 4) {
                                abort(client, random, id);
                                aborted.incrementAndGet();
                                break;
                            } else if (action < 20) {
                                pipelined(client, id, completed, mismatched);
                                id += 3;
                            } else if (action < 35) {
                                upload(client, random, id, completed, mismatched);
                            } else if (action < 45) {
                                exchange(client, "GET /stream HTTP/1.1\r\nHost: a\r\nX-Id: " + id + "\r\n\r\n", id, 65536,
                                        completed, mismatched);
                            } else {
                                exchange(client, "GET /hello HTTP/1.1\r\nHost: a\r\nX-Id: " + id + "\r\n\r\n", id, -1,
                                        completed, mismatched);
                            }
                        }
                    } catch (IOException closedOrRefused) {
                        // The server is draining or closed this connection: start over.
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    private static void exchange(RawClient client, String request, long id, int expectedLength, AtomicLong completed,
                                 AtomicLong mismatched) throws IOException {
        client.send(request);
        check(client.read(), id, expectedLength, completed, mismatched);
    }

    private static void pipelined(RawClient client, long id, AtomicLong completed, AtomicLong mismatched) throws IOException {
        StringBuilder batch = new StringBuilder();
        for (long i = id; i < id + 4; i++) {
            batch.append("GET /hello HTTP/1.1\r\nHost: a\r\nX-Id: ").append(i).append("\r\n\r\n");
        }
        client.send(batch.toString());
        for (long i = id; i < id + 4; i++) {
            check(client.read(), i, -1, completed, mismatched);
        }
    }

    private static void upload(RawClient client, Random random, long id, AtomicLong completed, AtomicLong mismatched)
            throws IOException {
        int size = 1024 * (1 + random.nextInt(512));
        if (random.nextBoolean()) {
            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nX-Id: " + id + "\r\nContent-Length: " + size + "\r\n\r\n");
            client.send(new byte[size]);
        } else {
            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nX-Id: " + id + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(size) + "\r\n");
            client.send(new byte[size]);
            client.send("\r\n0\r\n\r\n");
        }
        RawClient.Response response = client.read();
        if (!response.bodyText().equals(Integer.toString(size))) {
            mismatched.incrementAndGet();
        }
        check(response, id, -1, completed, mismatched);
    }

    /** Gives up mid-way: a partial head, a partial body, or a reset while the response streams. */
    private static void abort(RawClient client, Random random, long id) throws IOException {
        switch (random.nextInt(3)) {
            case 0:
                client.send("GET /hello HTTP/1.1\r\nHost: a\r\nX-Id: " + id);
                break;
            case 1:
                client.send("POST /upload HTTP/1.1\r\nHost: a\r\nX-Id: " + id + "\r\nContent-Length: 100000\r\n\r\nabc");
                break;
            default:
                client.send("GET /stream HTTP/1.1\r\nHost: a\r\nX-Id: " + id + "\r\n\r\n");
                client.socket().setSoLinger(true, 0);
                break;
        }
    }

    private static void check(RawClient.Response response, long id, int expectedLength, AtomicLong completed,
                              AtomicLong mismatched) {
        boolean ok = response.status() == 200 && String.valueOf(id).equals(response.header("X-Id"))
                && (expectedLength < 0 || response.body().length == expectedLength);
        if (!ok) {
            mismatched.incrementAndGet();
        }
        completed.incrementAndGet();
    }

    private static void awaitIdle(SakerServer server) {
        Poll.until(Duration.ofSeconds(10),
                () -> server.stats().connectionsActive() == 0 && server.stats().requestsActive() == 0);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
