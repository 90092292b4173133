package dev.saker.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import dev.saker.boot.SakerWebServer;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.reactive.socket.SakerRequestUpgradeStrategy;
import dev.saker.server.observe.WebSocketStats;
import dev.saker.server.testing.RawClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application started by Spring Boot with Saker's reactive auto-configuration (Tomcat's
 * reactive one is on the class path too and backs off): annotated controllers returning Mono and
 * Flux, a functional route, a request body, and server-sent events streamed as they are produced.
 */
class WebFluxApplicationTest {

    private static ConfigurableApplicationContext context;
    private static int port;

    @BeforeAll
    static void start() {
        context = WebFluxApps.start(App.class, "saker.server.websocket.max-text-message-size=1KB",
                WebFluxApps.WITHOUT_SECURITY);
        port = WebFluxApps.port(context);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void sakerServesTheApplicationOnTheEventLoop() {
        assertThat(context.getBean(ReactiveWebServerFactory.class)).isInstanceOf(SakerReactiveWebServerFactory.class);
        SakerWebServer webServer = (SakerWebServer) ((ReactiveWebServerApplicationContext) context).getWebServer();
        assertThat(webServer.server().config().dispatchMode()).isEqualTo(DispatchMode.EVENT_LOOP);
        assertThat(port).isPositive();
    }

    @Test
    void annotatedControllerReturningMonoGetsALength() throws Exception {
        RawClient.Response r = get("/mono");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("mono");
        assertThat(r.header("content-length")).isEqualTo("4");
    }

    @Test
    void annotatedControllerReturningFluxIsStreamed() throws Exception {
        RawClient.Response r = get("/flux");
        assertThat(r.header("content-type")).startsWith("text/plain");
        assertThat(r.bodyText()).isEqualTo("n1 n2 n3 ");
    }

    @Test
    void functionalRoute() throws Exception {
        RawClient.Response r = get("/fn/saker");
        assertThat(r.bodyText()).isEqualTo("hello saker");
    }

    @Test
    void requestBodyIsRead() throws Exception {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 5\r\n\r\nhello").read();
            assertThat(r.bodyText()).isEqualTo("got hello");
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("GET /nothing HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.bodyText()).contains("Whitelabel Error Page");
        }
    }

    @Test
    void serverSentEventsAreStreamedOneByOne() throws Exception {
        try (RawClient client = new RawClient(port)) {
            client.send("GET /sse HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            // The first event arrives while the stream is still open (the next is not produced yet).
            StringBuilder seen = new StringBuilder();
            while (seen.indexOf("data:tick 0\n\n") < 0) {
                int b = in.read();
                assertThat(b).as("stream so far: %s", seen).isNotNegative();
                seen.append((char) b);
            }
            assertThat(seen.toString()).contains("Transfer-Encoding: chunked").contains("text/event-stream");
        }
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("GET /sse HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").read();
            assertThat(r.bodyText()).isEqualTo("data:tick 0\n\ndata:tick 1\n\ndata:tick 2\n\n");
        }
    }

    @Test
    void aClientThatLeavesAnEventStreamOfObjectsEndsItWithNothingLeft() throws Exception {
        long cancelledBefore = Controller.cancelledStreams.get();
        try (RawClient client = new RawClient(port)) {
            client.send("GET /sse-objects HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            StringBuilder seen = new StringBuilder();
            while (seen.indexOf("\"n\":3") < 0) {
                int b = in.read();
                assertThat(b).as("stream so far: %s", seen).isNotNegative();
                seen.append((char) b);
            }
        }
        // The stream (10 000 events 10 ms apart) is cancelled, not run to its end; the events
        // asked for ahead are dropped with their buffers (the class's leak check would report them).
        assertThat(dev.saker.server.testing.Poll.until(Duration.ofSeconds(10),
                () -> Controller.cancelledStreams.get() > cancelledBefore)).isTrue();
    }

    @Test
    void aWebSocketHandlerMappedInWebFluxEchoesOnSakersWebSocket() throws Exception {
        assertThat(context.getBean(org.springframework.web.reactive.socket.server.RequestUpgradeStrategy.class))
                .isInstanceOf(SakerRequestUpgradeStrategy.class);
        WebSocketStats stats = ((SakerWebServer) ((ReactiveWebServerApplicationContext) context).getWebServer())
                .server().stats().webSocket();
        long opened = stats.sessionsOpened();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("hello saker", true).get(10, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("hello saker");
        assertThat(stats.sessionsOpened()).isEqualTo(opened + 1);
        // saker.server.websocket.max-text-message-size=1KB applies to WebFlux sessions.
        socket.sendText("x".repeat(1025), true).get(10, TimeUnit.SECONDS);
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    private static RawClient.Response get(String path) throws Exception {
        try (RawClient client = new RawClient(port)) {
            return client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        Controller controller() {
            return new Controller();
        }

        @Bean
        org.springframework.web.reactive.handler.SimpleUrlHandlerMapping webSocketMapping() {
            org.springframework.web.reactive.socket.WebSocketHandler echo = session -> session.send(session.receive());
            return new org.springframework.web.reactive.handler.SimpleUrlHandlerMapping(Map.of("/ws", echo), -1);
        }

        @Bean
        RouterFunction<ServerResponse> routes() {
            return route(GET("/fn/{name}"), request -> ServerResponse.ok().bodyValue("hello " + request.pathVariable("name")));
        }
    }

    @RestController
    static class Controller {

        @GetMapping("/mono")
        Mono<String> mono() {
            return Mono.just("mono");
        }

        @GetMapping(value = "/flux", produces = MediaType.TEXT_PLAIN_VALUE)
        Flux<String> flux() {
            return Flux.range(1, 3).map(n -> "n" + n + " ");
        }

        static final java.util.concurrent.atomic.AtomicLong cancelledStreams = new java.util.concurrent.atomic.AtomicLong();

        @GetMapping(value = "/sse-objects", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        Flux<Map<String, Integer>> sseObjects() {
            return Flux.interval(Duration.ofMillis(10)).take(10_000).map(i -> Map.of("n", i.intValue()))
                    .doOnCancel(cancelledStreams::incrementAndGet);
        }

        @GetMapping(value = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        Flux<String> sse() {
            return Flux.interval(Duration.ofMillis(20)).take(3).map(i -> "tick " + i);
        }

        @PostMapping("/echo")
        Mono<String> echo(@RequestBody Mono<String> body) {
            return body.map(text -> "got " + text);
        }

        @GetMapping("/path/{name}")
        String path(@PathVariable String name) {
            return name;
        }
    }
}
