package dev.saker.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.HttpHandler;
import reactor.core.publisher.Flux;

/** The adapter on HTTP/2 streams (h2c): the same exchange API, so the same flows. */
class Http2AdapterTest {

    @Test
    void aStreamedResponseAndAnUploadOverH2c() throws Exception {
        int pieces = 256;
        int pieceSize = 8192;
        HttpHandler handler = (request, response) -> {
            if (request.getPath().value().equals("/echo")) {
                return response.writeWith(DataBufferUtils.join(request.getBody()));
            }
            return response.writeWith(Flux.range(0, pieces).map(i -> {
                DataBuffer b = response.bufferFactory().allocateBuffer(pieceSize);
                b.writePosition(pieceSize);
                return b;
            }));
        };
        try (ReactiveServer server = new ReactiveServer(handler, config -> config.http2(true))) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + server.port());
            HttpResponse<byte[]> first = client.send(HttpRequest.newBuilder(base.resolve("/big")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(first.body()).hasSize(pieces * pieceSize);
            HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(base.resolve("/big")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(big.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(big.body()).hasSize(pieces * pieceSize);
            byte[] upload = new byte[300_000];
            for (int i = 0; i < upload.length; i++) {
                upload[i] = (byte) i;
            }
            HttpResponse<byte[]> echo = client.send(HttpRequest.newBuilder(base.resolve("/echo")).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(echo.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(echo.body()).isEqualTo(upload);
        }
    }
}
