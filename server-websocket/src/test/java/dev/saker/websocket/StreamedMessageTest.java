package dev.saker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.WsFrames;
import dev.saker.websocket.testing.Recorder;
import dev.saker.websocket.testing.WsClient;
import dev.saker.websocket.testing.WsServer;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Reader} and {@code InputStream} message parameters read the message as it arrives: the
 * method runs at its first frame, sees later frames as they come, may read a message larger than
 * the session's message buffer, may stop early (the rest is dropped), and hears of a session
 * that closes mid-message as an {@code IOException}.
 */
@ExtendWith(LeakCheckExtension.class)
class StreamedMessageTest {

    /** Reads a text message up to ';', says so, then reads the rest; binary: counts the bytes. */
    public static final class ReadingEndpoint {
        private Recorder recorder;

        @OnOpen
        public void open(EndpointConfig config) {
            recorder = (Recorder) config.getUserProperties().get(Recorder.KEY);
        }

        @OnMessage
        public String text(Reader reader, Session session) throws IOException {
            StringBuilder read = new StringBuilder();
            int c;
            try {
                while ((c = reader.read()) >= 0) {
                    read.append((char) c);
                    if (c == ';') {
                        session.getBasicRemote().sendText("got " + read);
                    }
                    if (c == '!') {
                        return "stopped at " + read;
                    }
                }
            } catch (IOException e) {
                recorder.add("failed " + e.getMessage() + " after " + read);
                throw e;
            }
            return "read " + read;
        }

        @OnMessage
        public String binary(InputStream in) throws IOException {
            long n = 0;
            byte[] buf = new byte[4096];
            int r;
            while ((r = in.read(buf)) >= 0) {
                n += r;
            }
            return "bytes " + n;
        }
    }

    private final Recorder recorder = new Recorder();
    private WsServer server;

    @BeforeEach
    void start() {
        server = WsServer.start((container, context) -> {
            ServerEndpointConfig config = ServerEndpointConfig.Builder.create(ReadingEndpoint.class, "/read").build();
            config.getUserProperties().put(Recorder.KEY, recorder);
            container.addEndpoint(config);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theReaderSeesTheFirstFrameBeforeTheLastIsSent() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/read")) {
            client.send(WsFrames.frame(false, WsFrames.TEXT, utf8("first;")));
            // Answered while the message is still open: the method is reading it.
            assertThat(client.read().text()).isEqualTo("got first;");
            client.send(WsFrames.frame(false, WsFrames.CONTINUATION, utf8("second;")));
            assertThat(client.read().text()).isEqualTo("got first;second;");
            client.send(WsFrames.frame(true, WsFrames.CONTINUATION, utf8("end")));
            assertThat(client.read().text()).isEqualTo("read first;second;end");
            // The next message is a message of its own.
            client.text("again");
            assertThat(client.read().text()).isEqualTo("read again");
        }
    }

    @Test
    void aMessageLargerThanTheMessageBufferIsReadAsItArrives() throws Exception {
        byte[] part = new byte[60 * 1024];
        int parts = 20;
        assertThat((long) part.length * parts).isGreaterThan(server.container().getDefaultMaxBinaryMessageBufferSize());
        try (WsClient client = WsClient.handshake(server.port(), "/read")) {
            for (int i = 0; i < parts; i++) {
                client.send(WsFrames.frame(i == parts - 1, i == 0 ? WsFrames.BINARY : WsFrames.CONTINUATION, part));
            }
            assertThat(client.read().text()).isEqualTo("bytes " + (long) part.length * parts);
            client.text("after;");
            assertThat(client.read().text()).isEqualTo("got after;");
            assertThat(client.read().text()).isEqualTo("read after;");
        }
    }

    @Test
    void whatTheMethodLeavesUnreadIsDropped() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/read")) {
            client.send(WsFrames.frame(false, WsFrames.TEXT, utf8("ab!cd")));
            assertThat(client.read().text()).isEqualTo("stopped at ab!");
            client.send(WsFrames.frame(false, WsFrames.CONTINUATION, utf8("more")));
            client.send(WsFrames.frame(true, WsFrames.CONTINUATION, utf8("tail")));
            client.text("next");
            assertThat(client.read().text()).isEqualTo("read next");
        }
    }

    @Test
    void aSessionClosedMidMessageFailsTheRead() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/read")) {
            client.send(WsFrames.frame(false, WsFrames.TEXT, utf8("half;")));
            assertThat(client.read().text()).isEqualTo("got half;");
            client.send(WsFrames.close(1000, "bye"));
            assertThat(recorder.next("failed")).isEqualTo("failed the session closed before the message ended after half;");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
