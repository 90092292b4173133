package dev.saker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.websocket.testing.Recorder;
import dev.saker.websocket.testing.WsClient;
import dev.saker.websocket.testing.WsServer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckExtension.class)
class SendTimeoutTest {

    /** On "flood", sends binary messages with the async remote until one fails (at most 4000). */
    public static final class FloodEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Recorder recorder = (Recorder) config.getUserProperties().get(Recorder.KEY);
            ByteBuffer block = ByteBuffer.allocate(32 * 1024);
            AtomicBoolean failed = new AtomicBoolean();
            session.addMessageHandler(String.class, text -> {
                for (int i = 0; i < 4000 && !failed.get(); i++) {
                    session.getAsyncRemote().sendBinary(block.duplicate(), result -> {
                        if (!result.isOK() && failed.compareAndSet(false, true)) {
                            recorder.add("failed " + result.getException().getClass().getSimpleName());
                        }
                    });
                }
                recorder.add("sent all " + failed.get());
            });
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            ((Recorder) session.getUserProperties().get(Recorder.KEY)).add("close " + closeReason.getCloseCode().getCode());
        }
    }

    @Test
    void asyncSendPastItsTimeoutFailsAndClosesTheSession() throws Exception {
        Recorder recorder = new Recorder();
        try (WsServer server = WsServer.start((container, context) -> {
            container.setAsyncSendTimeout(300);
            ServerEndpointConfig flood = ServerEndpointConfig.Builder.create(FloodEndpoint.class, "/flood").build();
            flood.getUserProperties().put(Recorder.KEY, recorder);
            container.addEndpoint(flood);
        })) {
            try (WsClient client = WsClient.handshake(server.port(), "/flood")) {
                assertThat(client.status()).isEqualTo(101);
                // The client never reads: the socket fills, and the sends wait past the timeout.
                client.text("flood");
                assertThat(recorder.next("failed")).isEqualTo("failed TimeoutException");
            }
            assertThat(recorder.next("close")).startsWith("close ");
        }
    }
}
