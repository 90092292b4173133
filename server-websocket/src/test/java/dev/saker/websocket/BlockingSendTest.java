package dev.saker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.websocket.testing.JdkClient;
import dev.saker.websocket.testing.Recorder;
import dev.saker.websocket.testing.WsServer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The basic remote returns before the frame is written while the connection takes more: what it must still keep. */
@ExtendWith(LeakCheckExtension.class)
class BlockingSendTest {

    /** "reuse": sends one buffer twice, overwritten in between; "close-then-send": sends after closing. */
    public static final class SendingEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Recorder recorder = (Recorder) config.getUserProperties().get(Recorder.KEY);
            session.addMessageHandler(String.class, text -> {
                try {
                    if (text.equals("reuse")) {
                        ByteBuffer buffer = ByteBuffer.allocate(4096);
                        Arrays.fill(buffer.array(), (byte) 'a');
                        session.getBasicRemote().sendBinary(buffer);
                        Arrays.fill(buffer.array(), (byte) 'b');
                        session.getBasicRemote().sendBinary(buffer);
                    } else {
                        session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye"));
                        session.getBasicRemote().sendText("late");
                        recorder.add("sent after close");
                    }
                } catch (IOException e) {
                    recorder.add("refused " + e.getClass().getSimpleName());
                }
            });
        }
    }

    private final Recorder recorder = new Recorder();
    private WsServer server;

    @BeforeEach
    void start() {
        server = WsServer.start((container, context) -> {
            ServerEndpointConfig config = ServerEndpointConfig.Builder.create(SendingEndpoint.class, "/send").build();
            config.getUserProperties().put(Recorder.KEY, recorder);
            container.addEndpoint(config);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aBufferReusedAfterABlockingSendReturnsDoesNotChangeWhatWasSent() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/send"))) {
            client.send("reuse");
            byte[] a = new byte[4096];
            Arrays.fill(a, (byte) 'a');
            byte[] b = new byte[4096];
            Arrays.fill(b, (byte) 'b');
            assertThat(client.next().data()).isEqualTo(a);
            assertThat(client.next().data()).isEqualTo(b);
        }
    }

    @Test
    void aBlockingSendAfterCloseIsRefusedAtOnce() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/send"))) {
            client.send("close-then-send");
            assertThat(recorder.next()).isEqualTo("refused IOException");
            assertThat(client.closeCode()).isEqualTo(1000);
        }
    }
}
