package dev.saker.reactive.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.reactive.SakerHttpHandlerAdapter;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.WebSocketStats;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.WsFrames;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.handler.ResponseStatusExceptionHandler;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class ReactiveWebSocketTest {

    /** A Saker server whose every request goes to Spring's handshake service with {@code handler}. */
    private static final class Server implements AutoCloseable {
        final SakerServer server;

        Server(WebSocketHandler handler) {
            this(handler, new SakerRequestUpgradeStrategy());
        }

        Server(WebSocketHandler handler, SakerRequestUpgradeStrategy strategy) {
            HandshakeWebSocketService service = new HandshakeWebSocketService(strategy);
            service.setSessionAttributePredicate(name -> true);
            var httpHandler = WebHttpHandlerBuilder.webHandler(exchange -> service.handleRequest(exchange, handler))
                    .filter((exchange, chain) -> exchange.getSession().flatMap(webSession -> {
                        webSession.getAttributes().put("tenant", "blue");
                        Principal alice = () -> "alice";
                        return chain.filter(exchange.mutate().principal(Mono.just(alice)).build());
                    }))
                    .exceptionHandler(new ResponseStatusExceptionHandler())
                    .build();
            server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                    .dispatchMode(DispatchMode.EVENT_LOOP).build(), new SakerHttpHandlerAdapter(httpHandler)).start();
        }

        int port() {
            return server.port();
        }

        WebSocketStats stats() {
            return server.stats().webSocket();
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    @Test
    void echoesTextAndBinaryMessagesThroughSpringsHandshakeService() throws Exception {
        WebSocketHandler echo = session -> session.send(session.receive().map(m -> m.getType() == WebSocketMessage.Type.TEXT
                ? session.textMessage("echo " + m.getPayloadAsText())
                : new WebSocketMessage(WebSocketMessage.Type.BINARY, m.getPayload())));
        try (Server server = new Server(echo); WsClient client = WsClient.connect(server.port(), "/echo")) {
            client.send("hello");
            assertThat(client.nextText()).isEqualTo("echo hello");
            client.send("h\u00e9llo \u2603");
            assertThat(client.nextText()).isEqualTo("echo h\u00e9llo \u2603");
            byte[] data = new byte[100_000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) i;
            }
            client.socket().sendBinary(ByteBuffer.wrap(data, 0, 50_000), true).get(10, TimeUnit.SECONDS);
            WsClient.Event binary = client.next();
            assertThat(binary.kind()).isEqualTo("binary");
            assertThat(binary.data()).isEqualTo(java.util.Arrays.copyOf(data, 50_000));
            assertThat(server.stats().sessionsActive()).isEqualTo(1);
            client.socket().sendClose(1000, "done").get(10, TimeUnit.SECONDS);
            assertThat(client.closeFrame().code()).isEqualTo(1000);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().sessionsActive() == 0)).isTrue();
            assertThat(server.stats().messagesReceived()).isEqualTo(3);
            assertThat(server.stats().messagesSent()).isEqualTo(3);
        }
    }

    @Test
    void handshakeInfoCarriesHeadersPrincipalAttributesAndTheChosenSubprotocol() throws Exception {
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public List<String> getSubProtocols() {
                return List.of("v2.chat", "v1.chat");
            }

            @Override
            public Mono<Void> handle(WebSocketSession session) {
                HandshakeInfo info = session.getHandshakeInfo();
                return info.getPrincipal().map(Principal::getName).defaultIfEmpty("none")
                        .flatMap(name -> session.send(Mono.just(session.textMessage(String.join("|",
                                info.getUri().getPath(), info.getHeaders().getFirst("X-Client"), name,
                                String.valueOf(info.getAttributes().get("tenant")), info.getSubProtocol(),
                                String.valueOf(info.getRemoteAddress().getAddress().getHostAddress()))))))
                        .then(session.receive().then());
            }
        };
        try (Server server = new Server(handler);
             WsClient client = WsClient.connect(server.port(), "/info", true, Map.of("X-Client", "c1"),
                     List.of("v1.chat", "v3.chat"))) {
            assertThat(client.socket().getSubprotocol()).isEqualTo("v1.chat");
            assertThat(client.nextText()).isEqualTo("/info|c1|alice|blue|v1.chat|127.0.0.1");
        }
    }

    @Test
    void noCommonSubprotocolMeansNoneIsChosen() throws Exception {
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public List<String> getSubProtocols() {
                return List.of("v2.chat");
            }

            @Override
            public Mono<Void> handle(WebSocketSession session) {
                return session.send(Mono.just(session.textMessage("protocol " + session.getHandshakeInfo().getSubProtocol())));
            }
        };
        try (Server server = new Server(handler);
             WsClient client = WsClient.connect(server.port(), "/p", true, Map.of(), List.of("v1.chat"))) {
            assertThat(client.socket().getSubprotocol()).isEmpty();
            assertThat(client.nextText()).isEqualTo("protocol null");
            assertThat(client.closeFrame().code()).isEqualTo(1000);
        }
    }

    @Test
    void serverCloseCodeAndReasonReachTheClient() throws Exception {
        WebSocketHandler handler = session -> session.receive().next()
                .flatMap(m -> session.close(new CloseStatus(4000, "bye " + m.getPayloadAsText())));
        try (Server server = new Server(handler); WsClient client = WsClient.connect(server.port(), "/c")) {
            client.send("now");
            WsClient.Event close = client.closeFrame();
            assertThat(close.code()).isEqualTo(4000);
            assertThat(close.text()).isEqualTo("bye now");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().closes(WebSocketStats.OTHER_CODE) == 1)).isTrue();
        }
    }

    @Test
    void messagesMadeForASessionThatEndedAreReleased() throws Exception {
        // Pooled payloads made up front (Flux.just), sent once the client has closed: the send ends
        // at once, and the messages it never wrote are released (the class's leak check sees them).
        CompletableFuture<Void> sendEnded = new CompletableFuture<>();
        WebSocketHandler handler = session -> session.receive().then(Mono.defer(() -> session.send(Flux.just(
                        session.binaryMessage(f -> f.allocateBuffer(64).write(new byte[64])),
                        session.binaryMessage(f -> f.allocateBuffer(64).write(new byte[64])),
                        session.binaryMessage(f -> f.allocateBuffer(64).write(new byte[64]))))
                .doFinally(signal -> sendEnded.complete(null))));
        try (Server server = new Server(handler); WsClient client = WsClient.connect(server.port(), "/r")) {
            client.socket().sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
            sendEnded.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void clientCloseCodeReachesTheHandlerAndCompletesReceive() throws Exception {
        CompletableFuture<CloseStatus> status = new CompletableFuture<>();
        CompletableFuture<Long> receivedBeforeEnd = new CompletableFuture<>();
        WebSocketHandler handler = session -> {
            session.closeStatus().subscribe(status::complete);
            return session.receive().count().doOnNext(receivedBeforeEnd::complete).then();
        };
        try (Server server = new Server(handler); WsClient client = WsClient.connect(server.port(), "/c")) {
            client.send("one");
            client.send("two");
            client.socket().sendClose(4001, "client done").get(10, TimeUnit.SECONDS);
            assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(new CloseStatus(4001, "client done"));
            assertThat(receivedBeforeEnd.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(client.closeFrame().code()).isEqualTo(4001);
        }
    }

    @Test
    void aFailingHandlerClosesWith1011() throws Exception {
        WebSocketHandler handler = session -> session.receive().next()
                .flatMap(m -> Mono.<Void>error(new IllegalStateException("boom")));
        try (Server server = new Server(handler); WsClient client = WsClient.connect(server.port(), "/e")) {
            client.send("x");
            assertThat(client.closeFrame().code()).isEqualTo(1011);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().closes(1011) == 1)).isTrue();
        }
    }

    @Test
    void aMessageOverTheConfiguredLimitClosesWith1009() throws Exception {
        SakerRequestUpgradeStrategy strategy = new SakerRequestUpgradeStrategy(
                dev.saker.server.websocket.WebSocketConfig.builder().maxTextMessageSize(1024).build());
        WebSocketHandler echo = session -> session.send(session.receive().map(m -> session.textMessage(m.getPayloadAsText())));
        try (Server server = new Server(echo, strategy); WsClient client = WsClient.connect(server.port(), "/l")) {
            client.send("a".repeat(1024));
            assertThat(client.nextText()).hasSize(1024);
            client.socket().sendText("a".repeat(1025), true);
            assertThat(client.closeFrame().code()).isEqualTo(1009);
        }
    }

    @Test
    void aSlowClientHoldsTheSenderBack() throws Exception {
        int total = 50_000;
        String payload = "x".repeat(4096);
        AtomicLong produced = new AtomicLong();
        WebSocketHandler handler = session -> session.send(Flux.range(0, total)
                .doOnNext(i -> produced.incrementAndGet())
                .map(i -> session.textMessage(i + ":" + payload)));
        try (Server server = new Server(handler);
             WsClient client = WsClient.connect(server.port(), "/slow", false, Map.of(), List.of())) {
            long stalled = settled(produced::get);
            // 50 000 messages of 4 KiB are 200 MiB: held back, the server produced only what the
            // socket buffers and the connection's write buffer take.
            assertThat(stalled).isLessThan(total / 4);
            client.request(Long.MAX_VALUE);
            for (int i = 0; i < total; i++) {
                String text = client.nextText();
                if (i % 10_000 == 0 || i == total - 1) {
                    assertThat(text).startsWith(i + ":");
                }
            }
            assertThat(produced.get()).isEqualTo(total);
            assertThat(client.closeFrame().code()).isEqualTo(1000);
        }
    }

    @Test
    void aSlowReceiverStopsReadingTheClient() throws Exception {
        CompletableFuture<BaseSubscriber<WebSocketMessage>> receiver = new CompletableFuture<>();
        AtomicLong taken = new AtomicLong();
        WebSocketHandler handler = session -> Mono.create(done -> {
            BaseSubscriber<WebSocketMessage> subscriber = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                    request(1);
                }

                @Override
                protected void hookOnNext(WebSocketMessage message) {
                    taken.incrementAndGet();
                    message.release();
                }

                @Override
                protected void hookOnComplete() {
                    done.success();
                }
            };
            receiver.complete(subscriber);
            session.receive().subscribe(subscriber);
        });
        byte[] frame = WsFrames.frame(true, WsFrames.BINARY, new byte[60_000]);
        int total = 400;
        try (Server server = new Server(handler, new SakerRequestUpgradeStrategy(
                dev.saker.server.websocket.WebSocketConfig.builder().maxBinaryMessageSize(60_000)
                        .maxFramePayload(60_000).build()));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            // A raw client (no Nagle, no flow control of its own): its writes block once the server stops reading.
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(("GET /upload HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 101");
            AtomicLong sent = new AtomicLong();
            // The client sends 24 MB; the receiver took one message and asks for no more, so the client's
            // writes stop once the socket buffers are full (a few MB on loopback).
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        socket.getOutputStream().write(frame);
                        sent.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long stalled = settled(sent::get);
            assertThat(stalled).isLessThan(total * 3 / 4);
            assertThat(taken.get()).isEqualTo(1);
            receiver.get(10, TimeUnit.SECONDS).request(Long.MAX_VALUE);
            sending.get(60, TimeUnit.SECONDS);
            assertThat(Poll.until(Duration.ofSeconds(20), () -> taken.get() == total)).isTrue();
            assertThat(server.stats().messagesReceived()).isEqualTo(total);
        }
    }

    private static String readHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void aGracefulShutdownClosesSessionsWith1001() throws Exception {
        CompletableFuture<CloseStatus> status = new CompletableFuture<>();
        WebSocketHandler handler = session -> {
            session.closeStatus().subscribe(status::complete);
            return session.send(session.receive().map(m -> session.textMessage(m.getPayloadAsText())));
        };
        Server server = new Server(handler);
        try (WsClient client = WsClient.connect(server.port(), "/g")) {
            client.send("before");
            assertThat(client.nextText()).isEqualTo("before");
            server.server.shutdownGracefully(Duration.ofSeconds(10));
            assertThat(client.closeFrame().code()).isEqualTo(1001);
            assertThat(status.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(1001);
        } finally {
            server.close();
        }
    }

    @Test
    void pongsArePassedOnAndPingsAnsweredByTheEngine() throws Exception {
        WebSocketHandler handler = session -> session.send(session.receive()
                .map(m -> session.textMessage(m.getType() + ":" + m.getPayloadAsText())));
        try (Server server = new Server(handler); WsClient client = WsClient.connect(server.port(), "/p")) {
            client.socket().sendPong(ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
            assertThat(client.nextText()).isEqualTo("PONG:hi");
            client.socket().sendPing(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
            client.send("after");
            // The ping was answered by the engine and not passed on: the next message is the text.
            assertThat(client.nextText()).isEqualTo("TEXT:after");
        }
    }

    @Test
    void aSendOnlyHandlerEndsWithItsPublisherAndTheClosingHandshakeCompletesDespiteAHeldMessage() throws Exception {
        CompletableFuture<Void> clientSent = new CompletableFuture<>();
        CompletableFuture<CloseStatus> status = new CompletableFuture<>();
        WebSocketHandler handler = session -> {
            session.closeStatus().subscribe(status::complete);
            return session.send(Mono.fromFuture(clientSent).thenMany(Flux.range(0, 3).map(i -> session.textMessage("n" + i))));
        };
        try (Server server = new Server(handler); WsClient client = WsClient.connect(server.port(), "/s")) {
            // Nobody reads it: the session holds it and stops reading the socket.
            client.socket().sendBinary(ByteBuffer.wrap(new byte[1000]), true).get(10, TimeUnit.SECONDS);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().messagesReceived() == 1)).isTrue();
            clientSent.complete(null);
            assertThat(client.nextText()).isEqualTo("n0");
            assertThat(client.nextText()).isEqualTo("n1");
            assertThat(client.nextText()).isEqualTo("n2");
            assertThat(client.closeFrame().code()).isEqualTo(1000);
            // The JDK client answers the close; the server reads it although a message is still held.
            assertThat(status.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(1000);
            assertThat(server.server.stats().connectionsClosed(dev.saker.server.observe.CloseReason.CLOSE_TIMEOUT)).isZero();
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedAfterTheWriteTimeout() throws Exception {
        CompletableFuture<CloseStatus> status = new CompletableFuture<>();
        CompletableFuture<Void> sendEnded = new CompletableFuture<>();
        String payload = "x".repeat(8192);
        WebSocketHandler handler = session -> {
            session.closeStatus().subscribe(status::complete);
            return session.send(Flux.range(0, 1_000_000).map(i -> session.textMessage(payload)))
                    .doFinally(signal -> sendEnded.complete(null));
        };
        SakerRequestUpgradeStrategy strategy = new SakerRequestUpgradeStrategy(
                dev.saker.server.websocket.WebSocketConfig.builder().writeTimeout(Duration.ofMillis(500)).build());
        try (Server server = new Server(handler, strategy);
             WsClient client = WsClient.connect(server.port(), "/w", false, Map.of(), List.of())) {
            assertThat(status.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(1006);
            sendEnded.get(10, TimeUnit.SECONDS);
            assertThat(server.server.stats().connectionsClosed(dev.saker.server.observe.CloseReason.WRITE_TIMEOUT))
                    .isEqualTo(1);
        }
    }

    @Test
    void aMessageUpToTheLimitMayComeInOneFrame() throws Exception {
        SakerRequestUpgradeStrategy strategy = new SakerRequestUpgradeStrategy(
                dev.saker.server.websocket.WebSocketConfig.builder().maxTextMessageSize(200_000).build());
        assertThat(strategy.config().maxFramePayload()).isEqualTo(200_000);
        WebSocketHandler echo = session -> session.send(session.receive()
                .map(m -> session.textMessage(String.valueOf(m.getPayloadAsText().length()))));
        try (Server server = new Server(echo, strategy); WsClient client = WsClient.connect(server.port(), "/big")) {
            client.send("b".repeat(150_000));
            assertThat(client.nextText()).isEqualTo("150000");
        }
    }

    @Test
    void aBadVersionGets426AndAPlainGetTheHandshakeServices400() throws Exception {
        try (Server server = new Server(session -> Mono.empty()); RawClient raw = new RawClient(server.port())) {
            RawClient.Response r = raw.send("GET /v HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(426);
            assertThat(r.header("sec-websocket-version")).isEqualTo("13");
            RawClient.Response plain = raw.send("GET /v HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(plain.status()).isEqualTo(400);
            assertThat(server.stats().sessionsOpened()).isZero();
        }
    }

    /** Waits until {@code value} has stopped changing for a while (a flow held by backpressure settled); bounded. */
    private static long settled(LongSupplier value) {
        long[] last = {value.getAsLong(), System.nanoTime()};
        boolean quiet = Poll.until(Duration.ofSeconds(20), () -> {
            long now = value.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - last[1] > Duration.ofMillis(300).toNanos();
        });
        if (!quiet) {
            throw new AssertionError("value kept changing: " + value.getAsLong());
        }
        return last[0];
    }
}
