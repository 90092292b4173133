package dev.saker.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerStatsTest {

    @Test
    void countsConnectionsRequestsStatusClassesErrorsAndBytes() throws Exception {
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.EVENT_LOOP).build(), ex -> {
                    if (ex.path().equals("/missing")) {
                        ex.status(404).send("no");
                    } else {
                        ex.send("yes");
                    }
                }).start();
        try {
            String ok = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
            String missing = "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n";
            try (RawClient client = new RawClient(server.port())) {
                client.send(ok + missing);
                client.read();
                client.read();
            }
            try (RawClient bad = new RawClient(server.port())) {
                bad.send("GET / HTTP/1.1\nHost: a\n\n");
                assertThat(bad.read().status()).isEqualTo(400);
            }
            ServerStats stats = server.stats();
            awaitZero(stats);
            assertThat(stats.connectionsAccepted()).isEqualTo(2);
            assertThat(stats.connectionsClosed()).isEqualTo(2);
            assertThat(stats.connectionsClosed(CloseReason.CLIENT)).isEqualTo(1);
            assertThat(stats.connectionsClosed(CloseReason.PARSE_ERROR)).isEqualTo(1);
            assertThat(stats.connectionsClosedNanos()).isPositive();
            assertThat(stats.requestsTotal()).isEqualTo(2);
            assertThat(stats.requestsActive()).isZero();
            assertThat(stats.responses(2)).isEqualTo(1);
            assertThat(stats.responses(4)).isEqualTo(2);
            assertThat(stats.parseErrors()).containsEntry("bare_lf", 1L);
            assertThat(stats.parseErrorsTotal()).isEqualTo(1);
            assertThat(stats.bytesReceived()).isEqualTo(ok.length() + missing.length() + "GET / HTTP/1.1\nHost: a\n\n".length());
            assertThat(stats.bytesSent()).isGreaterThan(3 * "HTTP/1.1 200 OK\r\n".length());
        } finally {
            server.stop();
        }
    }

    private static void awaitZero(ServerStats stats) {
        Poll.until(Duration.ofSeconds(5), () -> stats.connectionsActive() == 0);
        assertThat(stats.connectionsActive()).isZero();
    }
}
