package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.testing.EmbeddedServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection's deadlines, driven by a sweep time chosen by the test instead of the clock: each
 * state has its own bound, nothing fires a nanosecond early, and each expiry answers and closes the
 * way that state requires. An {@link EmbeddedServer}, so no socket and no waiting.
 */
class DeadlinesTest {

    private static final Duration HEAD = Duration.ofSeconds(10);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    private static final Duration BODY = Duration.ofSeconds(20);

    private EmbeddedServer server;
    private long openedBefore;
    private long openedAfter;

    private Http1Connection open() {
        openedBefore = System.nanoTime();
        server = new EmbeddedServer(ServerConfig.builder().headTimeout(HEAD).keepAliveTimeout(KEEP_ALIVE)
                .bodyReadTimeout(BODY).build(), ex -> ex.send("ok"));
        openedAfter = System.nanoTime();
        return server.channel().pipeline().get(Http1Connection.class);
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aConnectionThatNeverSendsAHeadClosesAtTheHeadTimeout() {
        Http1Connection connection = open();
        connection.checkTimeouts(openedBefore + HEAD.toNanos());
        assertThat(server.isOpen()).isTrue();
        connection.checkTimeouts(openedAfter + HEAD.toNanos() + 1);
        assertThat(server.isOpen()).isFalse();
        assertThat(server.received()).as("nothing to answer").isEmpty();
        assertThat(server.stats().timeouts(TimeoutKind.HEAD)).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.HEAD_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aPartialHeadIsAnswered408AtTheHeadTimeout() {
        Http1Connection connection = open();
        long before = System.nanoTime();
        server.send("GET / HTTP/1.1\r\nHost: a\r\n");
        long after = System.nanoTime();
        connection.checkTimeouts(before + HEAD.toNanos());
        assertThat(server.isOpen()).isTrue();
        connection.checkTimeouts(after + HEAD.toNanos() + 1);
        assertThat(server.received()).startsWith("HTTP/1.1 408 ").contains("Connection: close\r\n");
        assertThat(server.isOpen()).isFalse();
        assertThat(server.stats().connectionsClosed(CloseReason.HEAD_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void anIdleKeepAliveConnectionClosesAtTheKeepAliveTimeoutNotTheHeadTimeout() {
        Http1Connection connection = open();
        long before = System.nanoTime();
        server.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        long after = System.nanoTime();
        assertThat(server.received()).startsWith("HTTP/1.1 200 OK\r\n");
        connection.checkTimeouts(after + HEAD.toNanos() + 1);
        connection.checkTimeouts(before + KEEP_ALIVE.toNanos());
        assertThat(server.isOpen()).isTrue();
        connection.checkTimeouts(after + KEEP_ALIVE.toNanos() + 1);
        assertThat(server.isOpen()).isFalse();
        assertThat(server.stats().timeouts(TimeoutKind.KEEP_ALIVE)).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.KEEP_ALIVE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aBodyLeftUnreadIsDrainedWithinTheBodyReadTimeout() {
        Http1Connection connection = open();
        long before = System.nanoTime();
        // The handler answers without reading: the connection drains the 10 bytes still to come.
        server.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n12345");
        long after = System.nanoTime();
        assertThat(server.received()).startsWith("HTTP/1.1 200 OK\r\n");
        connection.checkTimeouts(before + BODY.toNanos());
        assertThat(server.isOpen()).isTrue();
        connection.checkTimeouts(after + BODY.toNanos() + 1);
        assertThat(server.isOpen()).isFalse();
        assertThat(server.stats().timeouts(TimeoutKind.BODY_READ)).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.BODY_READ_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aDrainedBodyStartsTheKeepAliveDeadlineOver() {
        Http1Connection connection = open();
        server.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n12345");
        long before = System.nanoTime();
        server.send("67890");
        long after = System.nanoTime();
        connection.checkTimeouts(after + BODY.toNanos() + 1);
        connection.checkTimeouts(before + KEEP_ALIVE.toNanos());
        assertThat(server.isOpen()).as("idle again, under the keep-alive bound").isTrue();
        connection.checkTimeouts(after + KEEP_ALIVE.toNanos() + 1);
        assertThat(server.isOpen()).isFalse();
        assertThat(server.stats().connectionsClosed(CloseReason.KEEP_ALIVE_TIMEOUT)).isEqualTo(1);
    }
}
