package dev.saker.server.lifecycle;

import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.ArrayList;
import io.netty.channel.epoll.Epoll;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.transport.TransportKind;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * At {@code maxConnections} the server stops accepting: a further client's connect completes in the
 * kernel backlog, is never reset, and is served as soon as a slot frees. Per-loop listeners
 * (SO_REUSEPORT, the native transport here) and the shared NIO acceptor behave the same.
 */
class AcceptPauseTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"AUTO", "NIO"})
    void aConnectionOverTheLimitWaitsInTheBacklogAndIsServedWhenASlotFrees(TransportKind transport) throws Exception {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2).transport(transport)
                .dispatchMode(DispatchMode.EVENT_LOOP).maxConnections(2).build(), ex -> ex.send("ok " + ex.path())).start();
        int port = server.port();
        try (RawClient a = new RawClient(port); RawClient b = new RawClient(port)) {
            for (RawClient client : new RawClient[] {a, b}) {
                client.send("GET /in HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("ok /in");
            }
            // Every listener has stopped (one on another loop stops when that loop runs the pause).
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.acceptingPaused())).isTrue();
            assertThat(server.stats().acceptPauses()).isEqualTo(1);

            try (RawClient waiting = new RawClient(port)) {
                // The TCP handshake completed in the backlog; the request waits unanswered, not reset.
                waiting.send("GET /waited HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(waiting.closedByServer(300)).as("no reset, no close over the limit").isFalse();
                assertThat(server.stats().connectionsAccepted()).isEqualTo(2);
                assertThat(server.stats().connectionsActive()).isEqualTo(2);

                // The held connections keep working meanwhile.
                b.send("GET /still HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(b.read().bodyText()).isEqualTo("ok /still");

                a.close();
                assertThat(waiting.read().bodyText()).as("served once a slot freed").isEqualTo("ok /waited");
                assertThat(server.stats().connectionsAccepted()).isEqualTo(3);
                assertThat(server.stats().connectionsActive()).isEqualTo(2);
            }
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().connectionsClosed()).isEqualTo(3);
        assertThat(server.stats().connectionsClosed(CloseReason.CLIENT)).as("none closed by the server").isEqualTo(3);
        // Accepting resumed fully: more than the limit in sequence, each served.
        for (int i = 0; i < 3; i++) {
            try (RawClient next = new RawClient(port)) {
                next.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(next.read().bodyText()).isEqualTo("ok /next");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"AUTO", "NIO"})
    void gracefulShutdownWorksWhileAcceptingIsPaused(TransportKind transport) throws Exception {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).transport(transport)
                .dispatchMode(DispatchMode.EVENT_LOOP).maxConnections(1).build(), ex -> ex.send("ok")).start();
        try (RawClient a = new RawClient(server.port())) {
            a.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(a.read().bodyText()).isEqualTo("ok");
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().acceptPauses() == 1)).isTrue();
            ShutdownResult result = server.shutdownGracefully(Duration.ofSeconds(5));
            assertThat(result.idle()).isTrue();
            assertThat(a.closedByServer(2_000)).isTrue();
        }
        server = null;
    }

    @Test
    void connectionsWaitingInTheBacklogWhenTheDrainBeginsAreServedNotReset() throws Exception {
        // Closing a listening socket resets what waits in its backlog, requests sent on it included;
        // with epoll the drain accepts that backlog first.
        assumeTrue(Epoll.isAvailable(), "epoll");
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .transport(TransportKind.EPOLL).dispatchMode(DispatchMode.EVENT_LOOP).maxConnections(1)
                .drainIdleGrace(Duration.ofMillis(200)).build(), ex -> ex.send("ok " + ex.path())).start();
        List<RawClient> waiting = new ArrayList<>();
        try (RawClient held = new RawClient(server.port())) {
            held.send("GET /held HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(held.read().bodyText()).isEqualTo("ok /held");
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().acceptPauses() == 1)).isTrue();
            for (int i = 0; i < 3; i++) {
                RawClient client = new RawClient(server.port());
                waiting.add(client);
                client.send("POST /order-" + i + " HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
            }
            assertThat(server.stats().connectionsAccepted()).as("the three wait in the backlog").isEqualTo(1);

            server.beginGracefulShutdown();
            for (int i = 0; i < 3; i++) {
                RawClient.Response response = waiting.get(i).read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("ok /order-" + i);
            }
            // Served as the listener closed, before the drain began or after: either way the
            // connection closes, after its response or once idle for the grace.
            for (RawClient client : waiting) {
                assertThat(client.closedByServer(10_000)).isTrue();
            }
            assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
        } finally {
            for (RawClient client : waiting) {
                client.close();
            }
        }
        assertThat(server.stats().connectionsAccepted()).isEqualTo(4);
    }
}
