package dev.saker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.WsFrames;
import dev.saker.server.websocket.WebSocketConfig;
import dev.saker.websocket.testing.JdkClient;
import dev.saker.websocket.testing.Recorder;
import dev.saker.websocket.testing.WsClient;
import dev.saker.websocket.testing.WsServer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckExtension.class)
class ProgrammaticEndpointTest {

    /** Echoes text and binary; a few commands exercise the session's API. */
    public static final class EchoEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Recorder recorder = (Recorder) config.getUserProperties().get(Recorder.KEY);
            recorder.add("open " + session.getRequestURI().getPath());
            if (session.getRequestURI().getPath().equals("/idle")) {
                session.setMaxIdleTimeout(300);
            }
            session.addMessageHandler(String.class, text -> {
                recorder.add("text " + text);
                try {
                    switch (text) {
                        case "close-me" -> session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4001), "done"));
                        case "ping-me" -> session.getBasicRemote().sendPing(ByteBuffer.wrap("p".getBytes(StandardCharsets.UTF_8)));
                        case "count" -> session.getBasicRemote().sendText("open " + session.getOpenSessions().size()
                                + " handlers " + session.getMessageHandlers().size());
                        default -> session.getBasicRemote().sendText(text);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!session.getRequestURI().getPath().equals("/textonly")) {
                session.addMessageHandler(ByteBuffer.class, data -> {
                    try {
                        session.getBasicRemote().sendBinary(data);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            session.addMessageHandler(PongMessage.class, pong -> {
                recorder.add("pong " + StandardCharsets.UTF_8.decode(pong.getApplicationData()));
            });
            try {
                session.addMessageHandler(java.io.Reader.class, reader -> { });
            } catch (IllegalStateException e) {
                recorder.add("second text handler refused");
            }
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            ((Recorder) session.getUserProperties().get(Recorder.KEY))
                    .add("close " + closeReason.getCloseCode().getCode() + " " + closeReason.getReasonPhrase());
        }
    }

    /** Takes text in parts and answers each part with its length and whether it was the last. */
    public static final class PartialEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (part, last) -> {
                try {
                    session.getBasicRemote().sendText(part + ":" + last);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private final Recorder recorder = new Recorder();
    private WsServer server;

    @BeforeEach
    void start() {
        WebSocketConfig engine = WebSocketConfig.builder().maxTextMessageSize(1024).build();
        server = WsServer.start(engine, (container, context) -> {
            for (String path : new String[] {"/echo", "/idle", "/textonly"}) {
                ServerEndpointConfig config = ServerEndpointConfig.Builder.create(EchoEndpoint.class, path).build();
                config.getUserProperties().put(Recorder.KEY, recorder);
                container.addEndpoint(config);
            }
            container.addEndpoint(ServerEndpointConfig.Builder.create(PartialEndpoint.class, "/partial").build());
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void echoesTextAndBinaryOffTheEventLoop() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/echo"))) {
            assertThat(recorder.next()).isEqualTo("open /echo");
            client.send("hello");
            assertThat(client.nextText()).isEqualTo("hello");
            client.sendBinary(new byte[] {1, 2, 3});
            assertThat(client.next().data()).containsExactly(1, 2, 3);
            String big = "x".repeat(1000);
            client.send(big);
            assertThat(client.nextText()).isEqualTo(big);
        }
        assertThat(recorder.threads()).noneMatch(name -> name.startsWith("saker-io"));
    }

    @Test
    void oneHandlerPerKindAndOpenSessionsOfTheEndpoint() throws Exception {
        try (JdkClient first = JdkClient.connect(server.url("/echo"));
             JdkClient second = JdkClient.connect(server.url("/echo"))) {
            assertThat(recorder.next("second")).isEqualTo("second text handler refused");
            assertThat(recorder.next("second")).isEqualTo("second text handler refused");
            first.send("count");
            assertThat(first.nextText()).isEqualTo("open 2 handlers 3");
            second.socket().sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            assertThat(second.closeCode()).isEqualTo(1000);
            assertThat(recorder.next("close")).startsWith("close 1000");
            first.send("count");
            assertThat(first.nextText()).isEqualTo("open 1 handlers 3");
        }
    }

    @Test
    void partialHandlerGetsEachFrame() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/partial")) {
            assertThat(client.status()).isEqualTo(101);
            client.send(WsFrames.frame(false, WsFrames.TEXT, WsFrames.utf8("ab")));
            client.send(WsFrames.frame(true, WsFrames.CONTINUATION, WsFrames.utf8("cde")));
            assertThat(client.read().text()).isEqualTo("ab:false");
            assertThat(client.read().text()).isEqualTo("cde:true");
        }
    }

    @Test
    void wholeHandlerGetsFragmentsJoined() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/echo")) {
            client.send(WsFrames.frame(false, WsFrames.TEXT, WsFrames.utf8("he")));
            client.send(WsFrames.frame(false, WsFrames.CONTINUATION, WsFrames.utf8("ll")));
            client.send(WsFrames.frame(true, WsFrames.CONTINUATION, WsFrames.utf8("o")));
            assertThat(client.read().text()).isEqualTo("hello");
        }
    }

    @Test
    void pingsAndPongs() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/echo"))) {
            client.socket().sendPing(ByteBuffer.wrap(new byte[] {7})).get(10, TimeUnit.SECONDS);
            assertThat(client.next()).satisfies(e -> {
                assertThat(e.kind()).isEqualTo("pong");
                assertThat(e.data()).containsExactly(7);
            });
            client.send("ping-me");
            assertThat(client.next()).satisfies(e -> {
                assertThat(e.kind()).isEqualTo("ping");
                assertThat(e.data()).containsExactly('p');
            });
            assertThat(recorder.next("pong")).isEqualTo("pong p");
            client.socket().sendPong(ByteBuffer.wrap("q".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
            assertThat(recorder.next("pong")).isEqualTo("pong q");
        }
    }

    @Test
    void clientCloseCodeReachesOnClose() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/echo"))) {
            client.socket().sendClose(4000, "bye").get(10, TimeUnit.SECONDS);
            assertThat(client.closeCode()).isEqualTo(4000);
            assertThat(recorder.next("close")).isEqualTo("close 4000 bye");
        }
    }

    @Test
    void serverCloseCodeReachesClientAndOnClose() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/echo"))) {
            client.send("close-me");
            assertThat(client.closeCode()).isEqualTo(4001);
            assertThat(recorder.next("close")).isEqualTo("close 4001 done");
        }
    }

    @Test
    void tooBigMessageClosesWith1009() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/echo"))) {
            client.send("y".repeat(2000));
            assertThat(client.closeCode()).isEqualTo(1009);
            assertThat(recorder.next("close")).startsWith("close 1009");
        }
    }

    @Test
    void tooBigAcrossFragmentsClosesWith1009() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/echo")) {
            for (int i = 0; i < 3; i++) {
                client.send(WsFrames.frame(false, i == 0 ? WsFrames.TEXT : WsFrames.CONTINUATION,
                        WsFrames.utf8("z".repeat(500))));
            }
            WsFrames.Frame close = client.read();
            assertThat(close.opcode()).isEqualTo(WsFrames.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1009);
        }
        assertThat(recorder.next("close")).startsWith("close 1009");
    }

    @Test
    void idleSessionClosedWithGoingAway() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/idle"))) {
            assertThat(client.closeCode()).isEqualTo(1001);
            assertThat(recorder.next("close")).startsWith("close 1001");
        }
    }

    @Test
    void messageWithoutHandlerClosesWith1003() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/textonly"))) {
            client.sendBinary(new byte[] {1});
            assertThat(client.closeCode()).isEqualTo(1003);
        }
    }

    @Test
    void closingWhenTheClientLeavesReports1006() throws Exception {
        JdkClient client = JdkClient.connect(server.url("/echo"));
        assertThat(recorder.next()).isEqualTo("open /echo");
        client.socket().abort();
        assertThat(recorder.next("close")).startsWith("close 1006");
    }

    @Test
    void jdkClientCloseIsNormal() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/echo"))) {
            client.socket().sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
            assertThat(client.closeCode()).isEqualTo(1000);
            assertThat(recorder.next("close")).startsWith("close 1000");
        }
    }
}
