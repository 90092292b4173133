package dev.saker.server.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.admission.AdmissionConfig;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.RawClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Access log lines of real requests over loopback, field by field, including requests the engine refuses. */
class AccessLogEndToEndTest {

    private static final String PATTERN = "%h|%l|%u|%t|%r|%s|%b|%B|%D|%T|%I|%m|%U|%q|%H|%{X-In}i|%{X-Out}o|%{sid}c|%L|%R";

    private final LineCapture lines = new LineCapture();
    private AccessLog log;
    private SakerServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (log != null) {
            assertThat(log.close(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(AccessLog.Format format, UnaryOperator<ServerConfig.Builder> settings) {
        start(format, settings, AccessLogEndToEndTest::handle);
    }

    private void start(AccessLog.Format format, UnaryOperator<ServerConfig.Builder> settings, HttpHandler handler) {
        log = AccessLog.builder().pattern(PATTERN).format(format).zone(ZoneOffset.UTC).output(lines).build();
        ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).accessLog(log);
        server = SakerServer.create(settings.apply(config).build(), handler).start();
    }

    private static void handle(HttpExchange ex) throws Exception {
        ex.remoteUser(ex.requestHeaders().get("X-User"));
        ex.responseHeaders().set("X-Out", "out-value");
        if (ex.path().equals("/stream")) {
            try (OutputStream out = ex.responseBody()) {
                for (int i = 0; i < 5; i++) {
                    out.write(new byte[10_000]);
                }
            }
            return;
        }
        ex.status(ex.path().equals("/missing") ? 404 : 200).send("hello world");
    }

    private static String[] fields(String line) {
        return line.split("\\|", -1);
    }

    @Test
    void aHandledRequestFieldByField() throws Exception {
        start(AccessLog.Format.TEXT, c -> c);
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /hello/w%20x?a=1&b=2 HTTP/1.1\r\nHost: h\r\nX-In: in-value\r\nX-User: bob\r\n"
                    + "Cookie: theme=dark; sid=abc123\r\nX-Request-Id: req-42\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            String[] f = fields(lines.next());
            assertThat(f).hasSize(20);
            assertThat(f[0]).isEqualTo("127.0.0.1");
            assertThat(f[1]).isEqualTo("-");
            assertThat(f[2]).isEqualTo("bob");
            assertThat(f[3]).matches("\\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\]");
            assertThat(f[4]).isEqualTo("GET /hello/w%20x?a=1&b=2 HTTP/1.1");
            assertThat(f[5]).isEqualTo("200");
            assertThat(f[6]).isEqualTo("11");
            assertThat(f[7]).isEqualTo("11");
            assertThat(Long.parseLong(f[8])).isGreaterThanOrEqualTo(0);
            assertThat(Long.parseLong(f[9])).isGreaterThanOrEqualTo(0);
            assertThat(f[10]).isNotEmpty().isNotEqualTo("-");
            assertThat(f[11]).isEqualTo("GET");
            assertThat(f[12]).isEqualTo("/hello/w%20x");
            assertThat(f[13]).isEqualTo("?a=1&b=2");
            assertThat(f[14]).isEqualTo("HTTP/1.1");
            assertThat(f[15]).isEqualTo("in-value");
            assertThat(f[16]).isEqualTo("out-value");
            assertThat(f[17]).isEqualTo("abc123");
            assertThat(f[18]).isEqualTo("req-42");
            assertThat(f[19]).isEqualTo("-");

            // The next request on the same connection: its own values, a sequence number as id.
            client.send("HEAD /missing HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.read(true).status()).isEqualTo(404);
            f = fields(lines.next());
            assertThat(f[2]).isEqualTo("-");
            assertThat(f[4]).isEqualTo("HEAD /missing HTTP/1.1");
            assertThat(f[5]).isEqualTo("404");
            assertThat(f[6]).isEqualTo("-");
            assertThat(f[7]).isEqualTo("0");
            assertThat(f[13]).isEmpty();
            assertThat(f[15]).isEqualTo("-");
            assertThat(f[17]).isEqualTo("-");
            assertThat(f[18]).isEqualTo("2");

            client.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.read().body()).hasSize(50_000);
            f = fields(lines.next());
            assertThat(f[4]).isEqualTo("GET /stream HTTP/1.1");
            assertThat(f[6]).isEqualTo("50000");
            assertThat(f[18]).isEqualTo("3");
        }
        assertThat(log.dropped()).isZero();
    }

    @Test
    void aMalformedHeadIsLoggedWithItsReason() throws Exception {
        start(AccessLog.Format.TEXT, c -> c);
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET / HTTP/1.1\nHost: h\n\n");
            assertThat(client.read().status()).isEqualTo(400);
        }
        String[] f = fields(lines.next());
        assertThat(f[0]).isEqualTo("127.0.0.1");
        assertThat(f[4]).isEqualTo("-");
        assertThat(f[5]).isEqualTo("400");
        assertThat(f[6]).isEqualTo("-");
        assertThat(f[11]).isEqualTo("-");
        assertThat(f[19]).isEqualTo("bare_lf");
        assertThat(server.stats().parseErrors()).containsEntry("bare_lf", 1L);
    }

    /** A request admission control answers itself (429 past the burst) is logged with the rejection's reason. */
    @Test
    void aRequestRefusedByAdmissionControlIsLoggedWithItsReason() throws Exception {
        start(AccessLog.Format.TEXT, c -> c.admission(AdmissionConfig.builder().requestsPerSecond(0.001).burst(1).build()));
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /first HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            client.send("GET /second HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(429);
        }
        assertThat(fields(lines.next())[19]).as("an admitted request has no reason").isEqualTo("-");
        String[] f = fields(lines.next());
        assertThat(f[4]).isEqualTo("GET /second HTTP/1.1");
        assertThat(f[5]).isEqualTo("429");
        assertThat(f[19]).isEqualTo("client_rate");
    }

    @Test
    void anOversizedHeadIsLoggedAs431() throws Exception {
        start(AccessLog.Format.TEXT, c -> c.maxHeadSize(1024));
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(431);
        }
        String[] f = fields(lines.next());
        assertThat(f[5]).isEqualTo("431");
        assertThat(f[19]).isEqualTo("head_too_large");
    }

    @Test
    void aTooLargeBodyIsLoggedAs413WithItsRequestLine() throws Exception {
        start(AccessLog.Format.TEXT, c -> c.maxRequestBodySize(10));
        try (RawClient client = new RawClient(server.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: h\r\nX-In: v\r\nContent-Length: 100\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(413);
        }
        String[] f = fields(lines.next());
        assertThat(f[4]).isEqualTo("POST /upload HTTP/1.1");
        assertThat(f[5]).isEqualTo("413");
        assertThat(f[15]).isEqualTo("v");
        assertThat(f[19]).isEqualTo("body_too_large");
    }

    @Test
    void aHeadTimeoutIsLoggedAs408() throws Exception {
        start(AccessLog.Format.TEXT, c -> c.headTimeout(Duration.ofMillis(200)));
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost:");
            assertThat(client.read().status()).isEqualTo(408);
        }
        String[] f = fields(lines.next());
        assertThat(f[5]).isEqualTo("408");
        assertThat(f[19]).isEqualTo("head_timeout");
    }

    @Test
    void aRequestRefusedByAFullPoolIsLoggedAs503() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(AccessLog.Format.TEXT, c -> c.dispatchMode(DispatchMode.WORKER_POOL).workerThreads(1).workerQueueCapacity(0),
                ex -> {
                    entered.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    ex.send("slow");
                });
        try (RawClient busy = new RawClient(server.port()); RawClient extra = new RawClient(server.port())) {
            busy.send("GET /busy HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            extra.send("GET /extra HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(extra.read().status()).isEqualTo(503);
            String[] f = fields(lines.next());
            assertThat(f[4]).isEqualTo("GET /extra HTTP/1.1");
            assertThat(f[5]).isEqualTo("503");
            assertThat(f[19]).isEqualTo("rejected");
            release.countDown();
            assertThat(busy.read().bodyText()).isEqualTo("slow");
            f = fields(lines.next());
            assertThat(f[4]).isEqualTo("GET /busy HTTP/1.1");
            assertThat(f[19]).isEqualTo("-");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsLoggedWithItsReason() throws Exception {
        start(AccessLog.Format.TEXT, c -> c.dispatchMode(DispatchMode.WORKER_POOL).maxRequestBodySize(8), ex -> {
            try (InputStream in = ex.requestBody().asInputStream()) {
                in.readAllBytes();
            }
            ex.send("unexpected");
        });
        try (RawClient client = new RawClient(server.port())) {
            client.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n5\r\nfghij\r\n0\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(413);
        }
        String[] f = fields(lines.next());
        assertThat(f[4]).isEqualTo("POST /up HTTP/1.1");
        assertThat(f[5]).isEqualTo("413");
        assertThat(f[19]).isEqualTo("body_too_large");
    }

    @Test
    void jsonLines() throws Exception {
        start(AccessLog.Format.JSON, c -> c);
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /j?x=\"1\" HTTP/1.1\r\nHost: h\r\nX-In: a\"b\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
        String line = lines.next();
        assertThat(line).startsWith("{\"time\":\"").endsWith("}").doesNotContain("\n");
        assertThat(line).contains("\"remote\":\"127.0.0.1\"", "\"method\":\"GET\"", "\"target\":\"/j?x=\\\"1\\\"\"",
                "\"protocol\":\"HTTP/1.1\"", "\"status\":200", "\"bytes\":11", "\"reason\":null", "\"user\":null",
                "\"id\":1", "\"request_headers\":{\"X-In\":\"a\\\"b\",\"Cookie\":null,\"X-Request-Id\":null}",
                "\"response_headers\":{\"X-Out\":\"out-value\"}");
    }
}
