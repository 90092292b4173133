package dev.saker.servlet.compression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.servlet.ServletServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A gzip-compressed response that fails after commit is aborted, and its deflater is freed on every path. */
class CompressedFailureTest {

    @Test
    void failureAfterCommitAbortsAndFreesTheDeflater() throws Exception {
        AtomicReference<CompressingResponse> seen = new AtomicReference<>();
        byte[] noise = new byte[40_000];
        new Random(7).nextBytes(noise);
        String text = new String(noise, StandardCharsets.ISO_8859_1);
        try (ServletServer server = ServletServer.start("", ctx -> {
            ctx.addFilter("gzip", new CompressionFilter(CompressionSettings.defaults()))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            ctx.addServlet("s", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    seen.set((CompressingResponse) resp);
                    resp.setContentType("text/plain;charset=ISO-8859-1");
                    resp.getWriter().print(text);
                    resp.flushBuffer();
                    if (req.getPathInfo().equals("/fail")) {
                        throw new IllegalStateException("failed half-way");
                    }
                }
            }).addMapping("/c/*");
        })) {
            String raw = fetchUntilClose(server.port(), "/c/fail");
            assertThat(raw).contains("Content-Encoding: gzip").contains("Transfer-Encoding: chunked");
            assertThat(raw).doesNotEndWith("0\r\n\r\n");
            assertThat(Poll.until(Duration.ofSeconds(5), () -> seen.get().compressorEnded())).isTrue();

            try (RawClient client = new RawClient(server.port())) {
                client.send("GET /c/ok HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n");
                RawClient.Response ok = client.read();
                assertThat(ok.header("Content-Encoding")).isEqualTo("gzip");
                assertThat(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(ok.body()))
                        .readAllBytes()).isEqualTo(noise);
            }
            assertThat(seen.get().compressorEnded()).isTrue();
        }
    }

    private static String fetchUntilClose(int port, String path) throws IOException {
        try (RawClient client = new RawClient(port, 10_000)) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n");
            return new String(client.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
