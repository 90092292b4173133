package dev.saker.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.Poll;
import dev.saker.server.websocket.WebSocketConfig;
import dev.saker.server.websocket.WebSocketHandler;
import dev.saker.server.websocket.WebSocketHandshake;
import dev.saker.server.websocket.WebSocketSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket meters follow real sessions on a Saker server: an echo, a normal close, a private code, a drop. */
class SakerMetricsBinderWebSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient client = HttpClient.newHttpClient();
    private SakerServer server;

    @BeforeEach
    void start() {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build(), exchange -> {
            WebSocketHandshake handshake = WebSocketHandshake.of(exchange);
            if (!handshake.valid()) {
                handshake.reject();
                return;
            }
            handshake.upgrade(null, WebSocketConfig.defaults(), new WebSocketHandler() {
                @Override
                public void onText(WebSocketSession session, String text, boolean last) {
                    session.sendText("echo:" + text, last);
                }

                @Override
                public void onBinary(WebSocketSession session, ByteBuf data, boolean last) {
                    session.sendBinary(data.retain(), last);
                }
            });
        }).start();
        SakerMetricsBinder.bind(server, registry);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private WebSocket open(BlockingQueue<Object> received) throws Exception {
        return client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        received.add(data.toString());
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                        received.add(data.remaining());
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                        received.add("closed:" + code);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void sessionsMessagesBytesAndClosesByCode() throws Exception {
        assertThat(registry.get("saker.websocket.closes").functionCounters()).as("every code from the start")
                .hasSize(12);

        BlockingQueue<Object> first = new LinkedBlockingQueue<>();
        WebSocket echo = open(first);
        echo.sendText("hello", true).get(10, TimeUnit.SECONDS);
        assertThat(first.poll(10, TimeUnit.SECONDS)).isEqualTo("echo:hello");
        echo.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        assertThat(first.poll(10, TimeUnit.SECONDS)).isEqualTo(3);

        BlockingQueue<Object> second = new LinkedBlockingQueue<>();
        WebSocket other = open(second);
        assertThat(registry.get("saker.websocket.sessions.active").gauge().value()).isEqualTo(2);
        assertThat(counter("saker.websocket.sessions.opened")).isEqualTo(2);

        echo.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        assertThat(first.poll(10, TimeUnit.SECONDS)).isEqualTo("closed:1000");
        other.sendClose(4001, "private").get(10, TimeUnit.SECONDS);
        assertThat(second.poll(10, TimeUnit.SECONDS)).isEqualTo("closed:4001");
        WebSocket dropped = open(new LinkedBlockingQueue<>());
        assertThat(Poll.until(WAIT, () -> server.stats().webSocket().sessionsActive() == 1)).isTrue();
        dropped.abort();
        assertThat(Poll.until(WAIT, () -> server.stats().webSocket().sessionsActive() == 0)).isTrue();

        assertThat(registry.get("saker.websocket.sessions.active").gauge().value()).isZero();
        assertThat(counter("saker.websocket.sessions.opened")).isEqualTo(3);
        assertThat(counter("saker.websocket.messages", "direction", "in")).isEqualTo(2);
        assertThat(counter("saker.websocket.messages", "direction", "out")).isEqualTo(2);
        assertThat(counter("saker.websocket.bytes", "direction", "in")).isEqualTo(5 + 3);
        assertThat(counter("saker.websocket.bytes", "direction", "out")).isEqualTo("echo:hello".length() + 3);
        assertThat(counter("saker.websocket.closes", "code", "1000")).isEqualTo(1);
        assertThat(counter("saker.websocket.closes", "code", "other")).isEqualTo(1);
        assertThat(counter("saker.websocket.closes", "code", "1006")).isEqualTo(1);
        assertThat(counter("saker.websocket.closes", "code", "1001")).isZero();
        assertThat(registry.get("saker.websocket.sessions.active").tag("server", "application").gauge()).isNotNull();
    }
}
