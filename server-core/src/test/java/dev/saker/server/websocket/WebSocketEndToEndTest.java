package dev.saker.server.websocket;

import static dev.saker.server.testing.WsFrames.CLOSE;
import static dev.saker.server.testing.WsFrames.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.WsFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * WebSocket on a real server over loopback: the handshake on an HTTP/1.1 exchange (from the event
 * loop and from a worker thread), the 101, frames both ways with a raw frame client, bytes sent right
 * behind the handshake, permessage-deflate, the close handshake and graceful shutdown.
 */
class WebSocketEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private SakerServer server;
    private Socket socket;

    private int start(DispatchMode mode, WebSocketConfig config) {
        HttpHandler handler = exchange -> {
            if (!WebSocketHandshake.requested(exchange)) {
                exchange.send("plain");
                return;
            }
            WebSocketHandshake handshake = WebSocketHandshake.of(exchange);
            if (!handshake.valid()) {
                handshake.reject();
                return;
            }
            String subprotocol = handshake.requestedSubprotocols().contains("echo") ? "echo" : null;
            handshake.upgrade(subprotocol, config, new WebSocketHandler() {
                @Override
                public void onText(WebSocketSession session, String text, boolean last) {
                    session.sendText(text, last);
                }
            });
        };
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(mode).build(), handler).start();
        return server.port();
    }

    @AfterEach
    void stop() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static String handshake(String extraFields) {
        return "GET /chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extraFields + "\r\n";
    }

    private InputStream connect(int port, byte[] first) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(first);
        return socket.getInputStream();
    }

    /** Reads a response head byte by byte (nothing past it), so frames that follow stay unread. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP", "WORKER_POOL"})
    void handshakeEchoAndCloseHandshake(DispatchMode mode) throws Exception {
        int port = start(mode, WebSocketConfig.defaults());
        InputStream in = connect(port, handshake("Sec-WebSocket-Protocol: chat, echo\r\n").getBytes(StandardCharsets.US_ASCII));
        String head = head(in);
        assertThat(head).startsWith("HTTP/1.1 101 ")
                .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
                .contains("Sec-WebSocket-Protocol: echo\r\n")
                .doesNotContain("Sec-WebSocket-Extensions");
        assertThat(head.toLowerCase()).contains("upgrade: websocket\r\n").contains("connection: upgrade\r\n");
        socket.getOutputStream().write(WsFrames.text("hello"));
        WsFrames.Frame echo = WsFrames.read(in);
        assertThat(echo.opcode()).isEqualTo(TEXT);
        assertThat(echo.text()).isEqualTo("hello");
        assertThat(server.stats().webSocket().sessionsActive()).isEqualTo(1);
        socket.getOutputStream().write(WsFrames.close(1000, "done"));
        WsFrames.Frame close = WsFrames.read(in);
        assertThat(close.opcode()).isEqualTo(CLOSE);
        assertThat(close.closeCode()).isEqualTo(1000);
        assertThat(in.read()).as("the server closes TCP").isEqualTo(-1);
        assertThat(Poll.until(WAIT, () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().webSocket().sessionsActive()).isZero();
        assertThat(server.stats().webSocket().closes(1000)).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.CLIENT)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP", "WORKER_POOL"})
    void framesSentRightBehindTheHandshakeAreRead(DispatchMode mode) throws Exception {
        int port = start(mode, WebSocketConfig.defaults());
        InputStream in = connect(port, WsFrames.concat(handshake("").getBytes(StandardCharsets.US_ASCII),
                WsFrames.text("early"), WsFrames.text("bird")));
        assertThat(head(in)).startsWith("HTTP/1.1 101 ");
        assertThat(WsFrames.read(in).text()).isEqualTo("early");
        assertThat(WsFrames.read(in).text()).isEqualTo("bird");
    }

    @ParameterizedTest
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP"})
    void compressedEcho(DispatchMode mode) throws Exception {
        int port = start(mode, WebSocketConfig.defaults());
        InputStream in = connect(port, handshake("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(head(in)).startsWith("HTTP/1.1 101 ").contains("Sec-WebSocket-Extensions: permessage-deflate\r\n");
        String text = "squeeze ".repeat(100);
        socket.getOutputStream().write(WsFrames.frame(true, 4, TEXT, true, WsFrames.deflate(text.getBytes(StandardCharsets.UTF_8))));
        WsFrames.Frame echo = WsFrames.read(in);
        assertThat(echo.rsv()).isEqualTo(4);
        assertThat(echo.payload().length).isLessThan(text.length());
        // A bomb: small on the wire, far past the limit inflated.
        socket.getOutputStream().write(WsFrames.frame(true, 4, WsFrames.BINARY, true, WsFrames.deflate(new byte[1 << 20])));
        assertThat(WsFrames.read(in).closeCode()).isEqualTo(1009);
        assertThat(in.read()).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP"})
    void badHandshakesAreAnsweredOverHttp(DispatchMode mode) throws Exception {
        int port = start(mode, WebSocketConfig.defaults());
        InputStream in = connect(port, handshake("").replace("Version: 13", "Version: 8").getBytes(StandardCharsets.US_ASCII));
        String head = head(in);
        assertThat(head).startsWith("HTTP/1.1 426 ").contains("Sec-WebSocket-Version: 13\r\n");
        socket.close();
        in = connect(port, handshake("").replace("Sec-WebSocket-Key: " + KEY + "\r\n", "").getBytes(StandardCharsets.US_ASCII));
        assertThat(head(in)).startsWith("HTTP/1.1 400 ");
    }

    @ParameterizedTest
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP"})
    void gracefulShutdownSendsGoingAwayAndWaitsForTheClient(DispatchMode mode) throws Exception {
        int port = start(mode, WebSocketConfig.defaults());
        InputStream in = connect(port, handshake("").getBytes(StandardCharsets.US_ASCII));
        assertThat(head(in)).startsWith("HTTP/1.1 101 ");
        assertThat(Poll.until(WAIT, () -> server.stats().webSocket().sessionsActive() == 1)).isTrue();
        CompletableFuture<?> shutdown = CompletableFuture.runAsync(() -> server.shutdownGracefully(Duration.ofSeconds(20)));
        WsFrames.Frame close = WsFrames.read(in);
        assertThat(close.closeCode()).isEqualTo(1001);
        socket.getOutputStream().write(WsFrames.close(1001, ""));
        assertThat(in.read()).isEqualTo(-1);
        shutdown.get(20, TimeUnit.SECONDS);
        assertThat(server.stats().connectionsClosed(CloseReason.SHUTDOWN)).isEqualTo(1);
    }
}
