package dev.saker.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Load far beyond what the server may take: it refuses with counted reasons, keeps serving, recovers. */
class OverloadTest {

    private SakerServer server;
    private final CountDownLatch forever = new CountDownLatch(1);

    @AfterEach
    void stop() {
        forever.countDown();
        if (server != null) {
            server.stop();
        }
    }

    private int start(ServerConfig.Builder config, HttpHandler handler) {
        server = SakerServer.create(config.host("127.0.0.1").port(0).ioThreads(2).build(), handler).start();
        return server.port();
    }

    @Test
    void aBurstFarBeyondTheWorkerPoolGetsAnAnswerForEveryRequest() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.WORKER_POOL).workerThreads(4)
                .workerQueueCapacity(16), ex -> {
                    handled.incrementAndGet();
                    TimeUnit.MILLISECONDS.sleep(20);
                    ex.send("done");
                });
        int clients = 200;
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                statuses.add(pool.submit(() -> {
                    try (RawClient client = new RawClient(port, 20_000)) {
                        client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                        return client.read().status();
                    }
                }));
            }
            int ok = 0;
            int unavailable = 0;
            for (Future<Integer> status : statuses) {
                int s = status.get(30, TimeUnit.SECONDS);
                if (s == 200) {
                    ok++;
                } else if (s == 503) {
                    unavailable++;
                }
            }
            assertThat(ok + unavailable).as("every request answered, 200 or 503").isEqualTo(clients);
            assertThat(ok).isEqualTo(handled.get());
            assertThat(server.stats().requestsRejected()).isEqualTo(unavailable);
            assertThat(unavailable).as("the burst exceeded pool plus queue").isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertRecovered(port);
    }

    @Test
    void aHandlerThatBlocksForeverDoesNotStopTheOthers() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.WORKER_POOL).workerThreads(2), ex -> {
            if (ex.path().equals("/stuck")) {
                stuck.countDown();
                forever.await();
            }
            ex.send("fine");
        });
        try (RawClient blocked = new RawClient(port)) {
            blocked.send("GET /stuck HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 20; i++) {
                assertRecovered(port);
            }
            assertThat(server.stats().requestsActive()).isEqualTo(1);
        }
    }

    @Test
    void asyncResponsesThatNeverCompleteDoNotLeakOrBlock() throws Exception {
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.EVENT_LOOP)
                .keepAliveTimeout(java.time.Duration.ofMillis(300)), ex -> {
                    if (ex.path().equals("/never")) {
                        ex.async();
                        return;
                    }
                    ex.send("fine");
                });
        for (int i = 0; i < 50; i++) {
            try (RawClient abandoned = new RawClient(port)) {
                abandoned.send("GET /never HTTP/1.1\r\nHost: a\r\nX-Pad: " + "p".repeat(i) + "\r\n\r\n");
                assertThat(abandoned.closedByServer(50)).isFalse();
                if (i % 2 == 0) {
                    // Half the clients reset; the others close politely (half-close, then gone).
                    abandoned.socket().setSoLinger(true, 0);
                }
            }
            assertRecovered(port);
        }
        awaitNoActiveRequests();
        awaitConnections(0);
    }

    @Test
    void moreConnectionsThanTheLimitWaitInTheBacklogAndAreServedAsSlotsFree() throws Exception {
        int port = start(ServerConfig.builder().dispatchMode(DispatchMode.EVENT_LOOP).maxConnections(20), ex -> ex.send("ok"));
        List<RawClient> held = new ArrayList<>();
        List<RawClient> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                RawClient c = new RawClient(port);
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                c.read();
                held.add(c);
            }
            assertThat(Poll.until(Duration.ofSeconds(5), server::acceptingPaused)).as("accepting paused").isTrue();
            for (int i = 0; i < 30; i++) {
                RawClient extra = new RawClient(port);
                // Each closes after its answer, freeing its slot for the next one still waiting.
                extra.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                waiting.add(extra);
            }
            assertThat(waiting.get(29).closedByServer(300)).as("over the limit: waiting, not reset").isFalse();
            assertThat(server.stats().connectionsActive()).isEqualTo(20);
            // Existing connections keep working.
            held.get(0).send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(held.get(0).read().bodyText()).isEqualTo("ok");
            for (RawClient c : held) {
                c.close();
            }
            for (RawClient extra : waiting) {
                assertThat(extra.read().bodyText()).as("every waiting connection is served").isEqualTo("ok");
            }
            assertThat(server.stats().connectionsAccepted()).isEqualTo(50);
        } finally {
            for (RawClient c : held) {
                c.close();
            }
            for (RawClient c : waiting) {
                c.close();
            }
        }
        awaitConnections(0);
        assertThat(server.stats().connectionsClosed(dev.saker.server.observe.CloseReason.CLIENT)).isEqualTo(20);
        assertThat(server.stats().connectionsClosed(dev.saker.server.observe.CloseReason.SERVER)).isEqualTo(30);
        assertRecovered(port);
    }

    private void awaitNoActiveRequests() {
        Poll.until(Duration.ofSeconds(5), () -> server.stats().requestsActive() == 0);
        assertThat(server.stats().requestsActive()).as("abandoned async requests ended with their connections").isZero();
    }

    private void awaitConnections(int n) {
        Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() <= n);
        assertThat(server.stats().connectionsActive()).isEqualTo(n);
    }

    private static void assertRecovered(int port) throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
        }
    }
}
