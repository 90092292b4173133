package dev.saker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.MetricsDoc;
import dev.saker.server.testing.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * docs/metrics.md's TLS and HTTP/2 tables name what {@code /actuator/prometheus} shows: the sample
 * application on TLS with HTTP/2, scraped over h2 after an h2 request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=changeit",
        "server.ssl.key-store-type=PKCS12", "server.ssl.key-alias=server", "server.http2.enabled=true"})
class TlsHttp2MetricsScrapeTest {

    @LocalServerPort
    private int port;

    @Test
    void prometheusShowsEveryDocumentedTlsAndHttp2Meter() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TestTls.clientContext()).build();
        HttpResponse<String> hello = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/plaintext")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.version()).isEqualTo(HttpClient.Version.HTTP_2);

        List<String> documented = MetricsDoc.prometheusNames(header -> true,
                meter -> meter.startsWith("`saker.tls.") || meter.startsWith("`saker.http2."));
        assertThat(documented).contains("saker_tls_handshakes_total", "saker_http2_resets_total");
        String scrape = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> series = scrape.lines().filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        for (String name : documented) {
            assertThat(series).as(name).anyMatch(line -> line.startsWith(name + "{") && line.contains("server=\"application\""));
        }
    }
}
