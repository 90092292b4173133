package dev.saker.boot.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.testing.Poll;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Spring's SockJS fallback on Saker, spoken by hand: the info request, every transport Spring's
 * {@code DefaultSockJsService} enables (xhr-polling, xhr-streaming, eventsource and htmlfile: held
 * requests completed by the servlet async API; and {@code websocket}), each echoing through one
 * {@code TextWebSocketHandler}.
 */
class SakerSockJsTest {

    private static final int STREAM_BYTES_LIMIT = 16;
    private static final long HEARTBEAT_MILLIS = 60_000;

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class,
                    SakerWebSocketAutoConfiguration.class, DispatcherServletAutoConfiguration.class))
            .withUserConfiguration(SockJsConfig.class)
            .withPropertyValues("server.port=0", "server.address=127.0.0.1");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Configuration(proxyBeanMethods = false)
    @EnableWebSocket
    static class SockJsConfig implements WebSocketConfigurer {

        private final ClosedSessions closed = new ClosedSessions();

        @Override
        public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
            // Every message frame of the tests passes the limit: each one ends its streaming response.
            registry.addHandler(new EchoHandler(), "/sockjs").withSockJS().setStreamBytesLimit(STREAM_BYTES_LIMIT);
            // The heart-beat, the write that would tell a client left, is far off; an inactive
            // session is closed after the disconnect delay.
            registry.addHandler(closed, "/sockjs-left").withSockJS().setHeartbeatTime(HEARTBEAT_MILLIS)
                    .setDisconnectDelay(1_000);
        }

        @Bean
        ClosedSessions closedSessions() {
            return closed;
        }
    }

    /** Records when each session is closed on the server (Spring's {@code afterConnectionClosed}). */
    static class ClosedSessions extends TextWebSocketHandler {
        final BlockingQueue<Long> closedAt = new LinkedBlockingQueue<>();

        @Override
        public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
            closedAt.add(System.nanoTime());
        }
    }

    static class EchoHandler extends TextWebSocketHandler {
        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            session.sendMessage(new TextMessage("echo:" + message.getPayload()));
        }
    }

    @Test
    void infoAdvertisesTheWebSocketTransport() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(uri(context, "/sockjs/info")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(info.statusCode()).isEqualTo(200);
            assertThat(info.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(info.body()).contains("\"websocket\":true").contains("\"cookie_needed\":true")
                    .contains("\"entropy\":");
        });
    }

    @Test
    void xhrPollingOpensSendsAndReceives() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            String session = "/sockjs/000/polling";
            HttpResponse<String> open = post(context, session + "/xhr", "");
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.body()).isEqualTo("o\n");
            // A poll waits (an async request held open) until the echo is there.
            CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
                    HttpRequest.newBuilder(uri(context, session + "/xhr")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> send = post(context, session + "/xhr_send", "[\"hello\"]");
            assertThat(send.statusCode()).isEqualTo(204);
            HttpResponse<String> echoed = poll.get(10, TimeUnit.SECONDS);
            assertThat(echoed.statusCode()).isEqualTo(200);
            assertThat(echoed.body()).isEqualTo("a[\"echo:hello\"]\n");
            // Two messages in one send come back (buffered while no poll is waiting) in the next poll.
            assertThat(post(context, session + "/xhr_send", "[\"one\",\"two\"]").statusCode()).isEqualTo(204);
            String next = post(context, session + "/xhr", "").body();
            if (!next.contains("two")) {
                next += post(context, session + "/xhr", "").body();
            }
            assertThat(next.replace("\n", "")).isIn("a[\"echo:one\",\"echo:two\"]", "a[\"echo:one\"]a[\"echo:two\"]");
            // An unknown session cannot be sent to.
            assertThat(post(context, "/sockjs/000/unknown/xhr_send", "[\"x\"]").statusCode()).isEqualTo(404);
        });
    }

    @Test
    void xhrStreamingStreamsFramesUntilTheBytesLimitThenResumesOnTheNextRequest() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            String session = "/sockjs/000/streaming";
            try (Streaming streaming = stream(context, session)) {
                Iterator<String> lines = streaming.lines();
                assertThat(lines.next()).isEqualTo("o");
                assertThat(post(context, session + "/xhr_send", "[\"first message\"]").statusCode()).isEqualTo(204);
                assertThat(nextFrame(lines)).isEqualTo("a[\"echo:first message\"]");
                // Past the limit Spring completes the async response: the chunked body ends.
                assertThat(lines.hasNext()).isFalse();
            }
            // The session lives on: a message sent between two streaming requests waits for the next one.
            assertThat(post(context, session + "/xhr_send", "[\"second message\"]").statusCode()).isEqualTo(204);
            try (Streaming streaming = stream(context, session)) {
                Iterator<String> lines = streaming.lines();
                assertThat(nextFrame(lines)).isEqualTo("a[\"echo:second message\"]");
                assertThat(lines.hasNext()).isFalse();
            }
        });
    }

    @Test
    void aClientThatResetsAStreamingResponseIsNoticedAtOnceNotAtTheNextHeartbeat() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SakerServer server = sakerServer(context).server();
            BlockingQueue<Long> closedAt = context.getBean(ClosedSessions.class).closedAt;
            long leftAt;
            try (Socket client = new Socket("127.0.0.1", port(context))) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(("POST /sockjs-left/000/left/xhr_streaming HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                // The 2048-byte prelude, then the open frame.
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
                String line;
                do {
                    line = in.readLine();
                    assertThat(line).as("the open frame before the end of the response").isNotNull();
                } while (!line.endsWith("o"));
                assertThat(server.stats().requestsActive()).isEqualTo(1);
                // Leaves with a reset (a FIN alone could be a half-close still waiting for the response).
                client.setSoLinger(true, 0);
                leftAt = System.nanoTime();
            }
            // The engine sees the connection break; the async request fails (AsyncListener.onError) and
            // ends, so a graceful shutdown no longer waits for it...
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
            // ...and, its request gone, the SockJS session is closed after the disconnect delay, long
            // before the heart-beat would have written to the dead connection.
            Long closed = closedAt.poll(HEARTBEAT_MILLIS / 3, TimeUnit.MILLISECONDS);
            assertThat(closed).as("the SockJS session closed well before the heart-beat").isNotNull();
            assertThat(Duration.ofNanos(closed - leftAt)).isLessThan(Duration.ofMillis(HEARTBEAT_MILLIS / 3));
        });
    }

    @Test
    void aStreamingResponseStillHeldAtTheStopIsEndedByIt() {
        AtomicReference<SakerServer> server = new AtomicReference<>();
        AtomicReference<Streaming> open = new AtomicReference<>();
        // Immediate: a graceful stop would wait its whole grace period for the open streaming response.
        runner.withPropertyValues("server.shutdown=immediate").run(context -> {
            assertThat(context).hasNotFailed();
            server.set(sakerServer(context).server());
            Streaming streaming = stream(context, "/sockjs/000/held");
            open.set(streaming);
            assertThat(streaming.lines().next()).isEqualTo("o");
            assertThat(server.get().stats().requestsActive()).isEqualTo(1);
        });
        try {
            // The stop ended it: its buffers are released (the class's leak check) and it is no longer counted.
            assertThat(server.get().stats().requestsActive()).isZero();
        } finally {
            open.get().close();
        }
    }

    @Test
    void eventSourceStreamsFramesAsServerSentEvents() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            String session = "/sockjs/000/eventsource";
            try (Streaming events = open(context, HttpRequest.newBuilder(uri(context, session + "/eventsource")).GET(),
                    "text/event-stream")) {
                Iterator<String> lines = events.lines();
                // The prelude is a bare CRLF; each frame is one "data:" event, ended by an empty line.
                assertThat(lines.next()).isEmpty();
                assertThat(lines.next()).isEqualTo("data: o");
                assertThat(lines.next()).isEmpty();
                assertThat(post(context, session + "/xhr_send", "[\"hello\"]").statusCode()).isEqualTo(204);
                assertThat(nextEvent(lines)).isEqualTo("data: a[\"echo:hello\"]");
                // The event passed the streamBytesLimit: Spring ends the response.
                assertThat(lines.next()).isEmpty();
                assertThat(lines.hasNext()).isFalse();
            }
        });
    }

    @Test
    void htmlFileStreamsFramesAsScriptCallsToTheCallback() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            String session = "/sockjs/000/htmlfile";
            try (Streaming page = open(context, HttpRequest.newBuilder(uri(context, session + "/htmlfile?c=sockjsCb")).GET(),
                    "text/html")) {
                Iterator<String> lines = page.lines();
                // The page calls the parent's callback named by "c", then each frame is a <script> calling p(frame).
                assertThat(lineStartingWith(lines, "\t\tvar c = ")).isEqualTo("\t\tvar c = parent.sockjsCb;");
                assertThat(lineStartingWith(lines, "p(")).isEqualTo("p(\"o\");");
                assertThat(post(context, session + "/xhr_send", "[\"hello\"]").statusCode()).isEqualTo(204);
                assertThat(lineStartingWith(lines, "p(\"a")).isEqualTo("p(\"a[\\\"echo:hello\\\"]\");");
                assertThat(lineStartingWith(lines, "</script>")).isEqualTo("</script>");
                assertThat(lines.hasNext()).isFalse();
            }
            // Without the callback there is nothing to call: Spring answers 500.
            HttpResponse<String> noCallback = http.send(HttpRequest.newBuilder(uri(context, "/sockjs/000/nocb/htmlfile"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noCallback.statusCode()).isEqualTo(500);
            assertThat(noCallback.body()).isEqualTo("\"callback\" parameter required");
        });
    }

    /** The next event that is not a heart-beat ({@code data: h}), skipping the empty lines between events. */
    private static String nextEvent(Iterator<String> lines) {
        while (true) {
            String line = lines.next();
            if (!line.isEmpty() && !line.equals("data: h")) {
                return line;
            }
        }
    }

    private static String lineStartingWith(Iterator<String> lines, String prefix) {
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("the response ended before a line starting with " + prefix);
    }

    /** A streaming response (xhr-streaming, eventsource, htmlfile): its lines, read as they arrive. */
    private record Streaming(Stream<String> body, Iterator<String> lines) implements AutoCloseable {
        @Override
        public void close() {
            body.close();
        }
    }

    /** Opens an xhr-streaming request and reads its prelude: 2048 'h' (for old browsers' buffering) and a newline. */
    private Streaming stream(AssertableWebApplicationContext context, String session) throws Exception {
        Streaming streaming = open(context, HttpRequest.newBuilder(uri(context, session + "/xhr_streaming"))
                .POST(HttpRequest.BodyPublishers.noBody()), "application/javascript");
        assertThat(streaming.lines().next()).isEqualTo("h".repeat(2048));
        return streaming;
    }

    private Streaming open(AssertableWebApplicationContext context, HttpRequest.Builder request, String contentType)
            throws Exception {
        HttpResponse<Stream<String>> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith(contentType));
        return new Streaming(response.body(), response.body().iterator());
    }

    @Test
    void webSocketTransportFramesMessagesAsSockJs() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            BlockingQueue<String> frames = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + port(context) + "/sockjs/000/ws/websocket"), new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                frames.add(text.toString());
                                text.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            try {
                assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo("o");
                socket.sendText("[\"hello\"]", true).get(10, TimeUnit.SECONDS);
                assertThat(nextFrame(frames)).isEqualTo("a[\"echo:hello\"]");
                socket.sendText("[\"a\",\"b\"]", true).get(10, TimeUnit.SECONDS);
                String both = nextFrame(frames);
                if (!both.contains("b")) {
                    both += nextFrame(frames);
                }
                assertThat(both).isIn("a[\"echo:a\",\"echo:b\"]", "a[\"echo:a\"]a[\"echo:b\"]");
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
                assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
            } finally {
                socket.abort();
            }
        });
    }

    /** The next frame that is not a heart-beat ({@code h}, every 25 s by default). */
    private static String nextFrame(Iterator<String> lines) {
        while (true) {
            String line = lines.next();
            if (!line.equals("h")) {
                return line;
            }
        }
    }

    private static String nextFrame(BlockingQueue<String> frames) throws InterruptedException {
        while (true) {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a SockJS frame within 10 s").isNotNull();
            if (!frame.equals("h")) {
                return frame;
            }
        }
    }

    private HttpResponse<String> post(AssertableWebApplicationContext context, String path, String body) throws Exception {
        return http.sendAsync(HttpRequest.newBuilder(uri(context, path)).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .get(10, TimeUnit.SECONDS);
    }

    private static URI uri(AssertableWebApplicationContext context, String path) {
        return URI.create("http://127.0.0.1:" + port(context) + path);
    }

    private static SakerWebServer sakerServer(AssertableWebApplicationContext context) {
        return (SakerWebServer) ((AnnotationConfigServletWebServerApplicationContext) context.getSourceApplicationContext())
                .getWebServer();
    }

    private static int port(AssertableWebApplicationContext context) {
        return sakerServer(context).getPort();
    }
}
