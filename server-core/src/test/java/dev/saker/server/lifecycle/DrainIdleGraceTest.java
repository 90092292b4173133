package dev.saker.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The drain grace of a graceful shutdown, over loopback sockets: a request a load balancer sends on
 * a kept-alive connection just as the drain begins is served (and told {@code Connection: close}),
 * an idle connection closes once idle for the grace, and the shutdown's deadline still ends it all.
 */
class DrainIdleGraceTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private SakerServer start(Duration grace) {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.WORKER_POOL).drainIdleGrace(grace).build(),
                ex -> ex.send("done " + ex.method() + " " + ex.path())).start();
        return server;
    }

    @Test
    void aRequestOnAnIdleKeptAliveConnectionJustAfterTheDrainBeginsIsServedWithConnectionClose() throws Exception {
        start(Duration.ofSeconds(30));
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response warm = client.read();
            assertThat(warm.status()).isEqualTo(200);
            assertThat(warm.header("Connection")).as("kept alive before the drain").isNull();

            server.beginGracefulShutdown();
            client.send("POST /order HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("done POST /order");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer(5_000)).as("closed after that response").isTrue();
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(server.stats().connectionsClosed(CloseReason.SHUTDOWN)).isEqualTo(1);
    }

    @Test
    void anIdleConnectionClosesOnceIdleForTheGraceAndNotBefore() throws Exception {
        Duration grace = Duration.ofMillis(300);
        start(grace);
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            long lastActivity = System.nanoTime();

            server.beginGracefulShutdown();
            assertThat(client.closedByServer(10_000)).as("closed by the sweep").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - lastActivity)).isGreaterThanOrEqualTo(grace);
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(server.stats().connectionsClosed(CloseReason.SHUTDOWN)).isEqualTo(1);
    }

    @Test
    void aConnectionIdleLongerThanTheGraceWhenTheDrainBeginsStillGetsTheGraceFromThatMoment() throws Exception {
        // A balancer that reuses its pool last in, first out reaches its longest-idle connections
        // just as the drain makes it drop the others (Connection: close): closed at once, one of
        // them would meet the request being sent on it.
        Duration grace = Duration.ofMillis(300);
        start(grace);
        try (RawClient waiting = new RawClient(server.port()); RawClient unused = new RawClient(server.port())) {
            for (RawClient client : new RawClient[] {waiting, unused}) {
                client.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(200);
            }
            long idleSince = System.nanoTime();
            while (System.nanoTime() - idleSince < 2 * grace.toNanos()) {
                LockSupport.parkNanos(grace.toNanos());
            }

            long drainStart = System.nanoTime();
            server.beginGracefulShutdown();
            waiting.send("POST /order HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
            RawClient.Response response = waiting.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("done POST /order");
            assertThat(response.header("Connection")).isEqualTo("close");

            assertThat(unused.closedByServer(10_000)).as("closed by the sweep").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - drainStart)).as("a grace after the drain began")
                    .isGreaterThanOrEqualTo(grace);
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(server.stats().connectionsClosed(CloseReason.SHUTDOWN)).isEqualTo(2);
    }

    @Test
    void aConnectionThatHasSentNothingYetGetsTheGraceForItsFirstRequest() throws Exception {
        start(Duration.ofSeconds(30));
        try (RawClient client = new RawClient(server.port())) {
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 1)).isTrue();
            server.beginGracefulShutdown();
            client.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer(5_000)).isTrue();
        }
    }

    @Test
    void withHttp2OnAConnectionStillUndecidedGetsTheGraceForItsFirstRequest() throws Exception {
        // Cleartext with HTTP/2 on: until its first bytes the connection waits in the preface detector.
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true)
                .drainIdleGrace(Duration.ofSeconds(30)).build(), ex -> ex.send("done " + ex.path())).start();
        try (RawClient client = new RawClient(server.port())) {
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 1)).isTrue();
            server.beginGracefulShutdown();
            client.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.bodyText()).isEqualTo("done /first");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer(5_000)).isTrue();
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aResponseCommittedBeforeTheDrainKeepsItsConnectionForTheNextRequest() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.WORKER_POOL).drainIdleGrace(Duration.ofSeconds(30)).build(), ex -> {
                    if (ex.path().equals("/stream")) {
                        var out = ex.responseBody();
                        out.write("first".getBytes());
                        out.flush();
                        entered.countDown();
                        release.await(10, TimeUnit.SECONDS);
                        out.write(" last".getBytes());
                        out.close();
                    } else {
                        ex.send("done " + ex.path());
                    }
                }).start();
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            // The flush hands the head to the loop: wait until the loop has committed and sent it.
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().bytesSent() > 0)).isTrue();
            server.beginGracefulShutdown();
            release.countDown();
            RawClient.Response streamed = client.read();
            assertThat(streamed.bodyText()).isEqualTo("first last");
            assertThat(streamed.header("Connection")).as("its head went out before the drain").isNull();

            client.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response next = client.read();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.header("Connection")).isEqualTo("close");
            assertThat(client.closedByServer(5_000)).isTrue();
        } finally {
            release.countDown();
        }
    }

    @Test
    void theDeadlineEndsTheDrainEvenWhenTheGraceIsLonger() throws Exception {
        start(Duration.ofMinutes(5));
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            ShutdownResult outcome = server.shutdownGracefully(Duration.ofMillis(300));
            assertThat(outcome.activeRequestsAtDeadline()).isZero();
            assertThat(outcome.took()).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofMinutes(5));
            assertThat(server.isRunning()).isFalse();
            assertThat(client.closedByServer(5_000)).isTrue();
        }
    }

    @Test
    void aGraceOfZeroClosesIdleConnectionsAtOnce() throws Exception {
        start(Duration.ZERO);
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            server.beginGracefulShutdown();
            assertThat(client.closedByServer(5_000)).isTrue();
            assertThat(Poll.until(Duration.ofSeconds(5),
                    () -> server.stats().connectionsClosed(CloseReason.SHUTDOWN) == 1)).isTrue();
        }
    }

    @Test
    void theGraceIsValidated() {
        assertThat(ServerConfig.builder().build().drainIdleGrace()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> ServerConfig.builder().drainIdleGrace(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drainIdleGrace");
        assertThatThrownBy(() -> ServerConfig.builder().drainIdleGrace(null)).isInstanceOf(NullPointerException.class);
    }
}
