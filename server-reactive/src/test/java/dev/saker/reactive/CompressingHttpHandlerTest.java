package dev.saker.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.util.MimeTypeUtils;
import reactor.core.publisher.Mono;

/** Which responses {@link CompressingHttpHandler} leaves alone, on a loopback server. */
class CompressingHttpHandlerTest {

    private static final String BODY = "F".repeat(3000);

    private static HttpHandler typed(String contentType) {
        HttpHandler application = (request, response) -> {
            response.getHeaders().set("Content-Type", contentType);
            return response.writeWith(Mono.fromSupplier(
                    () -> response.bufferFactory().wrap(BODY.getBytes(StandardCharsets.UTF_8))));
        };
        return new CompressingHttpHandler(application, List.of(MimeTypeUtils.parseMimeType("text/plain")), 2048,
                List.of(Pattern.compile("testUserAgent")));
    }

    private static RawClient.Response get(HttpHandler handler, String extraHeaders) throws Exception {
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            return client.send("GET / HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\n" + extraHeaders + "\r\n").read();
        }
    }

    @Test
    void anUnparseableContentTypeIsSentUncompressedNotFailed() throws Exception {
        RawClient.Response response = get(typed("test~plain"), "");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-encoding")).isNull();
        assertThat(response.header("content-type")).isEqualTo("test~plain");
        assertThat(response.bodyText()).isEqualTo(BODY);
    }

    @Test
    void aListedTypeIsCompressedUnlessTheUserAgentIsExcluded() throws Exception {
        assertThat(get(typed("text/plain"), "").header("content-encoding")).isEqualTo("gzip");
        RawClient.Response excluded = get(typed("text/plain"), "User-Agent: testUserAgent\r\n");
        assertThat(excluded.header("content-encoding")).isNull();
        assertThat(excluded.bodyText()).isEqualTo(BODY);
    }
}
