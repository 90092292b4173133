package dev.saker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.server.testing.MetricsDoc;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {

    @LocalServerPort
    private int port;

    @Autowired
    private ServletWebServerApplicationContext context;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsOnSaker() {
        assertThat(context.getWebServer()).isInstanceOf(SakerWebServer.class);
        assertThat(context.getWebServer().getPort()).isEqualTo(port);
    }

    @Test
    void plaintextAndJson() throws Exception {
        HttpResponse<String> plain = get("/plaintext");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo("Hello, World!");
        assertThat(plain.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        // Boot's default, as on Tomcat: no Server header unless server.server-header is set.
        assertThat(plain.headers().firstValue("Server")).isEmpty();
        HttpResponse<String> json = get("/json");
        assertThat(json.body()).isEqualTo("{\"message\":\"Hello, World!\"}");
        assertThat(json.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    }

    @Test
    void echoReturnsTheBodyWithItsContentType() throws Exception {
        HttpResponse<String> echo = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString("<a>1</a>")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo("<a>1</a>");
        assertThat(echo.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
    }

    @Test
    void slowSleepsThenAnswers() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> slow = get("/slow?ms=150");
        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    }

    @Test
    void actuatorHealthMetricsAndPrometheus() throws Exception {
        get("/plaintext");
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        HttpResponse<String> accepted = get("/actuator/metrics/saker.connections.accepted");
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(accepted.body()).contains("\"name\":\"saker.connections.accepted\"").contains("transport");
        HttpResponse<String> prometheus = get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("saker_connections_active").contains("saker_bytes_sent_bytes_total")
                .contains("saker_requests_errors_requests_total{reason=\"bad_request\",server=\"application\"}")
                .contains("http_server_requests_seconds_count");
    }

    /** Every Prometheus name that docs/metrics.md lists is what the scrape really shows. */
    @Test
    void prometheusShowsEveryDocumentedName() throws Exception {
        get("/plaintext");
        // The main table: its Prometheus column is headed "Prometheus name(s)", the others' "name in Prometheus".
        List<String> documented = MetricsDoc.prometheusNames(header -> header.startsWith("Prometheus"), meter -> true);
        assertThat(documented).hasSizeGreaterThanOrEqualTo(25).contains("saker_sessions_rejected_sessions_total");
        String scrape = get("/actuator/prometheus").body();
        Set<String> exposed = scrape.lines()
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
        assertThat(exposed).containsAll(documented);
    }

    @Test
    void errorsGoThroughBootsErrorPage() throws Exception {
        HttpResponse<String> missing = get("/does-not-exist");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"status\":404").contains("\"path\":\"/does-not-exist\"");
    }
}
