package dev.saker.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpExchange#onClientGone}: a handler holding a response open hears at once that its client
 * left (closed, reset, or half-closed after its request), not at its next write; and only the
 * exchange it was set on hears it.
 */
class ClientGoneTest {

    private static final String GET = "GET /held HTTP/1.1\r\nHost: x\r\n\r\n";

    private SakerServer server;
    private final BlockingQueue<HttpExchange> held = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    /** {@code /held} is left open (async) for the test to complete; anything else is answered at once. */
    private int start(Runnable onGone) {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.WORKER_POOL).build(), ex -> {
                    if (!ex.path().equals("/held")) {
                        ex.send("sync");
                        return;
                    }
                    ex.async();
                    if (onGone != null) {
                        ex.onClientGone(onGone);
                    }
                    held.add(ex);
                }).start();
        return server.port();
    }

    private HttpExchange nextHeld() throws InterruptedException {
        HttpExchange exchange = held.poll(10, TimeUnit.SECONDS);
        assertThat(exchange).as("the held exchange").isNotNull();
        return exchange;
    }

    @Test
    void aClientThatResetsIsHeardAtOnce() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        int port = start(gone::countDown);
        RawClient client = new RawClient(port);
        client.send(GET);
        HttpExchange exchange = nextHeld();
        client.socket().setSoLinger(true, 0);
        client.close();
        assertThat(gone.await(10, TimeUnit.SECONDS)).as("client gone heard").isTrue();
        exchange.abort(null);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestIsNotGoneAndGetsTheResponse() throws Exception {
        // RFC 9112 allows a client to close its sending side and wait for the response (conformance
        // C06); at the TCP level a client that left entirely looks the same until the server writes.
        CountDownLatch gone = new CountDownLatch(1);
        int port = start(gone::countDown);
        try (RawClient client = new RawClient(port)) {
            client.send(GET);
            HttpExchange exchange = nextHeld();
            client.shutdownOutput();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 1)).isTrue();
            exchange.send("still written");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("still written");
            assertThat(client.closedByServer(10_000)).isTrue();
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(gone.getCount()).as("a half-closed client was never taken as gone").isEqualTo(1);
    }

    @Test
    void aListenerSetAfterTheClientLeftRunsAtOnceOnTheCaller() throws Exception {
        int port = start(null);
        RawClient client = new RawClient(port);
        client.send(GET);
        HttpExchange exchange = nextHeld();
        client.socket().setSoLinger(true, 0);
        client.close();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        exchange.onClientGone(() -> ranOn.complete(Thread.currentThread()));
        assertThat(ranOn).isCompletedWithValue(Thread.currentThread());
        exchange.abort(null);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
    }

    @Test
    void onlyTheExchangeTheListenerWasSetOnHearsIt() throws Exception {
        AtomicInteger heard = new AtomicInteger();
        int port = start(heard::incrementAndGet);
        RawClient client = new RawClient(port);
        client.send(GET);
        HttpExchange first = nextHeld();
        // A second listener on the same exchange is refused.
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> first.onClientGone(() -> { })))
                .isInstanceOf(IllegalStateException.class);
        first.send("first");
        assertThat(client.read().bodyText()).isEqualTo("first");
        // The same (reused) exchange object serves the next request on the connection: it has no listener.
        client.send("GET /sync HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(client.read().bodyText()).isEqualTo("sync");
        client.socket().setSoLinger(true, 0);
        client.close();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(heard).hasValue(0);
    }
}
