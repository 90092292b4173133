package dev.saker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.MetricsDoc;
import dev.saker.server.testing.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The application and the management server each write their own access log file. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"management.server.port=0",
        "saker.server.accesslog.enabled=true", "saker.server.accesslog.pattern=%m %U %s",
        "saker.server.accesslog.directory=target/accesslog-management-test"})
class ManagementPortAccessLogTest {

    private static final Path DIR = Path.of("target/accesslog-management-test");

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Test
    void eachServerLogsToItsOwnFile() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/no-such-page")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        Path management = DIR.resolve("management_access_log." + LocalDate.now() + ".log");
        Path application = DIR.resolve("access_log." + LocalDate.now() + ".log");
        assertThat(Poll.until(Duration.ofSeconds(10), () -> read(management).contains("GET /actuator/health 200\n"))).isTrue();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> read(application).contains("GET /no-such-page 404\n"))).isTrue();
        assertThat(read(application)).doesNotContain("/actuator/health");
        assertThat(read(management)).doesNotContain("/no-such-page");
    }

    /** docs/metrics.md's access log table names what the scrape shows, for both servers. */
    @Test
    void prometheusShowsTheDocumentedAccessLogMetersOfBothServers() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> documented = MetricsDoc.prometheusNames(header -> true, meter -> meter.startsWith("`saker.accesslog."));
        assertThat(documented).contains("saker_accesslog_dropped_lines_total", "saker_accesslog_written_lines_total");
        String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> series = scrape.lines().filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        for (String name : documented) {
            for (String server : List.of("application", "management")) {
                assertThat(series).as(name + " of the " + server + " server")
                        .anyMatch(line -> line.startsWith(name + "{") && line.contains("server=\"" + server + "\""));
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
