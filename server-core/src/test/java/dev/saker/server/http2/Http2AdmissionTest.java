package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.admission.AdmissionConfig;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.AdmissionRejection;
import dev.saker.server.testing.RawClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each HTTP/2 stream is a request for admission control; connections count per client as HTTP/1.1 ones. */
class Http2AdmissionTest {

    private SakerServer server;
    private final AtomicLong clock = new AtomicLong();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
    }

    private int start(AdmissionConfig.Builder admission, DispatchMode mode, HttpHandler handler) {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2).http2(true)
                .dispatchMode(mode).admission(admission.nanoClock(clock::get).build()).build(), handler).start();
        return server.port();
    }

    @Test
    void streamsPastTheBurstGet429WithRetryAfterAndTheConnectionServesOn() throws Exception {
        int port = start(AdmissionConfig.builder().requestsPerSecond(2).burst(2), DispatchMode.EVENT_LOOP, ex -> ex.send("ok"));
        try (H2Client client = new H2Client(port, null)) {
            assertThat(client.get("/").status()).isEqualTo(200);
            assertThat(client.get("/").status()).isEqualTo(200);
            H2Client.Response refused = client.get("/");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().get("retry-after").toString()).isEqualTo("1");
            assertThat(refused.text()).isEqualTo("Too many requests\n");
            assertThat(client.get("/").status()).isEqualTo(429);
            clock.addAndGet(500_000_000L);
            assertThat(client.get("/").status()).isEqualTo(200);
            assertThat(client.isOpen()).isTrue();
        }
        assertThat(server.stats().admission().rejectedCount(AdmissionRejection.CLIENT_RATE)).isEqualTo(2);
    }

    @Test
    void streamsAtTheConcurrencyLimitGet503() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        int port = start(AdmissionConfig.builder().maxConcurrentRequests(1), DispatchMode.WORKER_POOL, ex -> {
            if (ex.path().equals("/hold")) {
                entered.countDown();
                release.await(20, TimeUnit.SECONDS);
            }
            ex.send("done");
        });
        try (H2Client client = new H2Client(port, null)) {
            CompletableFuture<H2Client.Response> held = client.request("GET", "/hold", null);
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            H2Client.Response refused = client.get("/");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.headers().get("retry-after").toString()).isEqualTo("1");
            release.countDown();
            assertThat(held.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(server.stats().admission().rejectedCount(AdmissionRejection.CONCURRENCY)).isEqualTo(1);
    }

    @Test
    void anHttp2ConnectionCountsAgainstTheClientsConnectionLimit() throws Exception {
        int port = start(AdmissionConfig.builder().maxConnectionsPerClient(1), DispatchMode.EVENT_LOOP, ex -> ex.send("ok"));
        try (H2Client client = new H2Client(port, null)) {
            assertThat(client.get("/").status()).isEqualTo(200);
            try (RawClient second = new RawClient(port)) {
                assertThat(second.closedByServer(10_000)).isTrue();
            }
        }
        assertThat(server.stats().admission().rejectedCount(AdmissionRejection.CLIENT_CONNECTIONS)).isEqualTo(1);
    }
}
