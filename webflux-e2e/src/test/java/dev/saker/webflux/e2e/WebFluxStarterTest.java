package dev.saker.webflux.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.reactive.SakerReactiveWebServerFactory;
import dev.saker.server.testing.MetricsDoc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;

/**
 * A WebFlux application declared as docs/getting-started.md shows (spring-boot-starter-webflux
 * without spring-boot-starter-reactor-netty, saker-spring-boot-starter-webflux, actuator and the
 * Prometheus registry) starts on Saker, serves its controller and WebSocket handler, runs actuator on
 * its own Saker server and exposes Saker's meters of both servers.
 */
@SpringBootTest(classes = WebFluxStarterApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "management.endpoints.web.exposure.include=health,prometheus"})
class WebFluxStarterTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Autowired
    private ReactiveWebServerApplicationContext context;

    @Test
    void startsOnSakerWithoutReactorNetty() throws Exception {
        assertThatThrownBy(() -> Class.forName("reactor.netty.http.server.HttpServer"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(context.getBean(ReactiveWebServerFactory.class)).isInstanceOf(SakerReactiveWebServerFactory.class);
        assertThat(context.getWebServer()).isInstanceOf(SakerWebServer.class);
        assertThat(get(port, "/hello").body()).isEqualTo("hello from webflux");
    }

    @Test
    void webSocketHandlerEchoes() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/echo"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("saker", true).get(10, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo saker");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    @Test
    void actuatorAnswersOnTheManagementPortOnly() throws Exception {
        assertThat(managementPort).isPositive().isNotEqualTo(port);
        HttpResponse<String> health = get(managementPort, "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(404);
    }

    @Test
    void prometheusExposesSakersMetersOfBothServers() throws Exception {
        get(port, "/hello");
        String scrape = get(managementPort, "/actuator/prometheus").body();
        for (String server : List.of("application", "management")) {
            for (String name : List.of("saker_connections_accepted_connections_total", "saker_connections_active",
                    "saker_websocket_sessions_active")) {
                assertThat(scrape.lines().filter(line -> line.startsWith(name) && line.contains("server=\"" + server + "\"")))
                        .as(name + " of the " + server + " server").isNotEmpty();
            }
        }
        assertThat(scrape).contains("http_server_requests_seconds_count");
    }

    /**
     * Every Prometheus name of docs/metrics.md's tables headed "Prometheus name(s)" (the main table and
     * WebSocket's) is in the scrape, but the Servlet session meters: WebFlux sessions live in a
     * {@code WebSessionStore}, not in the server.
     */
    @Test
    void prometheusShowsEveryDocumentedNameButTheServletSessions() throws Exception {
        get(port, "/hello");
        List<String> documented = MetricsDoc.prometheusNames(header -> header.startsWith("Prometheus"),
                meter -> !meter.startsWith("`saker.sessions."));
        assertThat(documented).contains("saker_connections_active_connections", "saker_websocket_sessions_active_sessions")
                .doesNotContain("saker_sessions_active_current_sessions");
        Set<String> exposed = get(managementPort, "/actuator/prometheus").body().lines()
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
        assertThat(exposed).containsAll(documented).doesNotContain("saker_sessions_active_current_sessions");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
