package dev.saker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.websocket.testing.JdkClient;
import dev.saker.websocket.testing.Recorder;
import dev.saker.websocket.testing.WsServer;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckExtension.class)
class ThreadingTest {

    static final String GATE = "gate";

    /** Blocks on "block" until the test opens the gate; echoes anything else, noting overlapping calls. */
    public static final class SlowEndpoint extends Endpoint {
        private final AtomicInteger inside = new AtomicInteger();

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Recorder recorder = (Recorder) config.getUserProperties().get(Recorder.KEY);
            CountDownLatch gate = (CountDownLatch) config.getUserProperties().get(GATE);
            session.addMessageHandler(String.class, text -> {
                if (inside.incrementAndGet() != 1) {
                    recorder.add("overlap");
                }
                try {
                    if (text.equals("block")) {
                        recorder.add("blocked");
                        gate.await(10, TimeUnit.SECONDS);
                        recorder.add("released");
                    }
                    session.getBasicRemote().sendText(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inside.decrementAndGet();
                }
            });
        }
    }

    /** Sends with the async remote: a SendHandler, a Future, and an object. */
    public static final class AsyncEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Recorder recorder = (Recorder) config.getUserProperties().get(Recorder.KEY);
            session.addMessageHandler(String.class, text -> {
                session.getAsyncRemote().sendText("handler:" + text, result ->
                        recorder.add("sent " + result.isOK() + " on " + Thread.currentThread().getName()));
                Future<Void> sent = session.getAsyncRemote().sendObject(42);
                try {
                    sent.get(10, TimeUnit.SECONDS);
                    recorder.add("future done");
                } catch (Exception e) {
                    recorder.add("future failed " + e);
                }
            });
        }
    }

    private final Recorder recorder = new Recorder();
    private final CountDownLatch gate = new CountDownLatch(1);
    private WsServer server;

    @BeforeEach
    void start() {
        server = WsServer.start((container, context) -> {
            ServerEndpointConfig slow = ServerEndpointConfig.Builder.create(SlowEndpoint.class, "/slow").build();
            slow.getUserProperties().put(Recorder.KEY, recorder);
            slow.getUserProperties().put(GATE, gate);
            container.addEndpoint(slow);
            ServerEndpointConfig async = ServerEndpointConfig.Builder.create(AsyncEndpoint.class, "/async").build();
            async.getUserProperties().put(Recorder.KEY, recorder);
            container.addEndpoint(async);
        });
    }

    @AfterEach
    void stop() {
        gate.countDown();
        server.close();
    }

    @Test
    void aBlockedHandlerHoldsOnlyItsOwnSession() throws Exception {
        try (JdkClient blocked = JdkClient.connect(server.url("/slow"));
             JdkClient other = JdkClient.connect(server.url("/slow"))) {
            blocked.send("block");
            assertThat(recorder.next()).isEqualTo("blocked");
            blocked.send("queued behind");
            // The single event loop and the other session go on while the first handler waits.
            other.send("free");
            assertThat(other.nextText()).isEqualTo("free");
            gate.countDown();
            assertThat(blocked.nextText()).isEqualTo("block");
            assertThat(blocked.nextText()).isEqualTo("queued behind");
        }
    }

    @Test
    void messagesOfASessionAreHandledOneAtATimeInOrder() throws Exception {
        gate.countDown();
        try (JdkClient client = JdkClient.connect(server.url("/slow"))) {
            for (int i = 0; i < 200; i++) {
                client.socket().sendText("m" + i, true).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 200; i++) {
                assertThat(client.nextText()).isEqualTo("m" + i);
            }
        }
        // Nothing was recorded: no call overlapped another of the same session.
        assertThat(recorder.threads()).isEmpty();
    }

    @Test
    void withHandlersOnTheEventLoopSessionsStillRunOffIt() throws Exception {
        Recorder own = new Recorder();
        try (WsServer inline = WsServer.start(dev.saker.server.websocket.WebSocketConfig.defaults(),
                dev.saker.server.dispatch.DispatchMode.EVENT_LOOP, (container, context) -> {
                    ServerEndpointConfig async = ServerEndpointConfig.Builder.create(AsyncEndpoint.class, "/async").build();
                    async.getUserProperties().put(Recorder.KEY, own);
                    container.addEndpoint(async);
                });
             JdkClient client = JdkClient.connect(inline.url("/async"))) {
            client.send("y");
            assertThat(client.nextText()).isEqualTo("handler:y");
            assertThat(own.next("future")).isEqualTo("future done");
        }
        assertThat(own.threads()).isNotEmpty().noneMatch(name -> name.startsWith("saker-io"));
    }

    @Test
    void asyncRemoteWithSendHandlerAndFuture() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/async"))) {
            client.send("x");
            assertThat(client.nextText()).isEqualTo("handler:x");
            assertThat(client.nextText()).isEqualTo("42");
            // The SendHandler and the Future complete in either order.
            java.util.List<String> events = java.util.List.of(recorder.next(), recorder.next());
            assertThat(events).contains("future done");
            assertThat(events).filteredOn(e -> e.startsWith("sent")).singleElement().asString()
                    .startsWith("sent true on ").doesNotContain("saker-io");
        }
    }
}
