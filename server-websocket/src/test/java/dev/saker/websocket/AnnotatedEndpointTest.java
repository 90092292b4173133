package dev.saker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.WsFrames;
import dev.saker.websocket.server.SakerServerContainer;
import dev.saker.websocket.testing.JdkClient;
import dev.saker.websocket.testing.Recorder;
import dev.saker.websocket.testing.WsClient;
import dev.saker.websocket.testing.WsServer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Decoder;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckExtension.class)
class AnnotatedEndpointTest {

    public record Message(String room, String text) {
    }

    public static final class MessageDecoder implements Decoder.Text<Message> {
        @Override
        public Message decode(String s) {
            int bar = s.indexOf('|');
            return new Message(s.substring(0, bar), s.substring(bar + 1));
        }

        @Override
        public boolean willDecode(String s) {
            return s.indexOf('|') >= 0;
        }
    }

    public static final class MessageEncoder implements Encoder.Text<Message> {
        @Override
        public String encode(Message m) throws EncodeException {
            return m.room() + "|" + m.text();
        }
    }

    /** A chat room: decoded messages in, encoded messages back, binary in parts, errors and closes recorded. */
    public static final class ChatEndpoint {
        private Recorder recorder;

        @OnOpen
        public void open(Session session, EndpointConfig config, @PathParam("room") String room) {
            recorder = (Recorder) config.getUserProperties().get(Recorder.KEY);
            recorder.add("open " + room + " " + session.getPathParameters());
        }

        @OnMessage
        public Message message(Message message, @PathParam("room") String room) {
            return new Message(room, message.text().toUpperCase(java.util.Locale.ROOT));
        }

        @OnMessage
        public String binary(byte[] part, boolean last) {
            return "bin " + part.length + " " + last;
        }

        @OnError
        public void error(Session session, Throwable error) throws IOException {
            recorder.add("error " + error.getClass().getSimpleName());
            session.getBasicRemote().sendText("error");
        }

        @OnClose
        public void close(CloseReason reason, @PathParam("room") String room) {
            recorder.add("close " + room + " " + reason.getCloseCode().getCode());
        }
    }

    @ServerEndpoint("/number/{n}")
    public static final class NumberEndpoint {
        @OnMessage
        public long times(int value, @PathParam("n") long n) {
            return value * n;
        }
    }

    @ServerEndpoint("/stream")
    public static final class StreamEndpoint {
        @OnMessage
        public String text(Reader reader) throws IOException {
            StringBuilder s = new StringBuilder();
            char[] buf = new char[64];
            int n;
            while ((n = reader.read(buf)) > 0) {
                s.append(buf, 0, n);
            }
            return "read " + s;
        }

        @OnMessage
        public void binary(InputStream in, Session session) throws IOException {
            try (var out = session.getBasicRemote().getSendStream()) {
                out.write(in.readAllBytes());
                out.write(new byte[] {9});
            }
        }
    }

    @ServerEndpoint("/writer")
    public static final class WriterEndpoint {
        @OnMessage
        public void text(String text, Session session) throws IOException {
            try (var writer = session.getBasicRemote().getSendWriter()) {
                writer.write(text);
                writer.flush();
                writer.write("!");
            }
        }
    }

    public static final class ExactEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            try {
                session.getBasicRemote().sendText("exact");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Recorder recorder = new Recorder();
    private WsServer server;

    @BeforeEach
    void start() {
        server = WsServer.start((container, context) -> {
            ServerEndpointConfig chat = ServerEndpointConfig.Builder.create(ChatEndpoint.class, "/chat/{room}")
                    .encoders(java.util.List.of(MessageEncoder.class))
                    .decoders(java.util.List.of(MessageDecoder.class)).build();
            chat.getUserProperties().put(Recorder.KEY, recorder);
            container.addEndpoint(chat);
            container.addEndpoint(ServerEndpointConfig.Builder.create(ExactEndpoint.class, "/chat/lobby").build());
            container.addEndpoint(NumberEndpoint.class);
            container.addEndpoint(StreamEndpoint.class);
            container.addEndpoint(WriterEndpoint.class);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pathParametersDecodersEncodersAndReturnValues() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/chat/kitchen"))) {
            assertThat(recorder.next()).isEqualTo("open kitchen {room=kitchen}");
            client.send("x|hello");
            assertThat(client.nextText()).isEqualTo("kitchen|HELLO");
            client.socket().sendClose(4002, "").get(10, TimeUnit.SECONDS);
            assertThat(client.closeCode()).isEqualTo(4002);
        }
        assertThat(recorder.next("close")).isEqualTo("close kitchen 4002");
    }

    @Test
    void decoderRefusalGoesToOnError() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/chat/a"))) {
            client.send("no bar here");
            assertThat(client.nextText()).isEqualTo("error");
            assertThat(recorder.next("error")).isEqualTo("error DecodeException");
            client.send("still|open");
            assertThat(client.nextText()).isEqualTo("a|OPEN");
        }
    }

    @Test
    void partialBinaryWithLastFlag() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/chat/b")) {
            client.send(WsFrames.frame(false, WsFrames.BINARY, new byte[3]));
            client.send(WsFrames.frame(true, WsFrames.CONTINUATION, new byte[2]));
            assertThat(client.read().text()).isEqualTo("bin 3 false");
            assertThat(client.read().text()).isEqualTo("bin 2 true");
        }
    }

    @Test
    void exactPathBeatsTemplate() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/chat/lobby"))) {
            assertThat(client.nextText()).isEqualTo("exact");
        }
    }

    @Test
    void primitiveMessageAndPathParameter() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/number/3"))) {
            client.send("14");
            assertThat(client.nextText()).isEqualTo("42");
        }
    }

    @Test
    void readerAndInputStreamMessagesAndSendStream() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/stream"))) {
            client.send("abc");
            assertThat(client.nextText()).isEqualTo("read abc");
            client.sendBinary(new byte[] {1, 2});
            assertThat(client.next().data()).containsExactly(1, 2, 9);
        }
    }

    @Test
    void sendWriterSendsOneMessageInParts() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/writer")) {
            client.text("hi");
            WsFrames.Frame first = client.read();
            assertThat(first.fin()).isFalse();
            assertThat(first.text()).isEqualTo("hi");
            WsFrames.Frame second = client.read();
            assertThat(second.opcode()).isEqualTo(WsFrames.CONTINUATION);
            assertThat(second.fin()).isTrue();
            assertThat(second.text()).isEqualTo("!");
        }
    }

    @Test
    void endpointsAreCheckedWhenAdded() {
        SakerServerContainer container = new SakerServerContainer(dev.saker.server.websocket.WebSocketConfig.defaults());
        assertThatThrownBy(() -> container.addEndpoint(ChatEndpoint.class))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("@ServerEndpoint");
        assertThatThrownBy(() -> container.addEndpoint(TwoTextMethods.class))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("more than one @OnMessage");
        assertThatThrownBy(() -> container.addEndpoint(BadParameter.class))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("not one this method may have");
        assertThatThrownBy(() -> container.addEndpoint(NoDecoder.class))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("no decoder");
        assertThatThrownBy(() -> container.addEndpoint(ServerEndpointConfig.Builder.create(ExactEndpoint.class, "/a//b").build()))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> container.addEndpoint(NoSlash.class))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("must begin with /");
    }

    @Test
    void duplicatePathsAndLateEndpointsAreRefused() throws Exception {
        SakerServerContainer container = server.container();
        assertThatThrownBy(() -> container.addEndpoint(ServerEndpointConfig.Builder.create(ExactEndpoint.class, "/chat/{other}").build()))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("same paths");
        assertThatThrownBy(() -> container.addEndpoint(ServerEndpointConfig.Builder.create(ExactEndpoint.class, "/chat/lobby").build()))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("already");
        try (JdkClient client = JdkClient.connect(server.url("/chat/lobby"))) {
            assertThat(client.nextText()).isEqualTo("exact");
        }
        assertThatThrownBy(() -> container.addEndpoint(ServerEndpointConfig.Builder.create(ExactEndpoint.class, "/late").build()))
                .isInstanceOf(DeploymentException.class).hasMessageContaining("before the first WebSocket upgrade");
    }

    @ServerEndpoint("/two")
    public static final class TwoTextMethods {
        @OnMessage
        public void a(String s) {
        }

        @OnMessage
        public void b(Reader r) {
        }
    }

    @ServerEndpoint("/bad")
    public static final class BadParameter {
        @OnOpen
        public void open(Session s, ByteBuffer nothing) {
        }
    }

    @ServerEndpoint("no-slash")
    public static final class NoSlash {
    }

    @ServerEndpoint("/nodecoder")
    public static final class NoDecoder {
        @OnMessage
        public void m(Message m) {
        }
    }
}
