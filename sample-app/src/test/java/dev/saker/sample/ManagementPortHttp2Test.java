package dev.saker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Actuator on its own port with {@code server.http2.enabled=true}: the management server starts
 * and answers health over HTTP/1.1 and over h2c (the JDK client's {@code Upgrade: h2c}), as the
 * application's port does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "server.http2.enabled=true"})
class ManagementPortHttp2Test {

    @LocalServerPort
    private int port;

    @LocalManagementPort
    private int managementPort;

    @Test
    void healthAnswersOverHttp11AndH2cOnTheManagementPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(port).isPositive();
        URI health = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health");

        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> plain = http11.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(plain.body()).contains("\"status\":\"UP\"");

        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 2; i++) {
            // The first request upgrades the connection (stream 1); the second goes over HTTP/2 directly.
            HttpResponse<String> upgraded = h2c.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(upgraded.statusCode()).isEqualTo(200);
            assertThat(upgraded.body()).contains("\"status\":\"UP\"");
        }

        // The application's port: HTTP/2 too, and no actuator there.
        HttpResponse<String> onAppPort = h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/health")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(onAppPort.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(onAppPort.statusCode()).isEqualTo(404);
    }
}
