package dev.saker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Actuator on its own port ({@code management.server.port}) is served by Saker too. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class ManagementPortTest {

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Test
    void actuatorAnswersOnTheManagementPortOnly() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(managementPort).isNotEqualTo(port).isPositive();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Server")).as("none unless server.server-header is set").isEmpty();
        HttpResponse<String> onAppPort = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(onAppPort.statusCode()).isEqualTo(404);
    }

    /** The management server's meters are registered too, told apart from the application's by the tag {@code server}. */
    @Test
    void bothServersHaveTheirMeters() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/plaintext")).build(),
                HttpResponse.BodyHandlers.ofString());
        String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String server : List.of("application", "management")) {
            for (String name : List.of("saker_connections_accepted_connections_total", "saker_threads_max_threads",
                    "saker_requests_queued_requests", "saker_sessions_active_current_sessions")) {
                assertThat(scrape.lines().filter(line -> line.startsWith(name + "{") && line.contains("server=\"" + server + "\"")))
                        .as(name + " of the " + server + " server").hasSize(1);
            }
        }
        // This scrape came in on the management server: it has accepted a connection.
        assertThat(scrape.lines().filter(line -> line.startsWith("saker_connections_accepted_connections_total{")
                && line.contains("server=\"management\"")).findFirst().orElseThrow()).doesNotEndWith(" 0.0");
    }
}
