package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.accesslog.AccessLog;
import dev.saker.server.accesslog.LineCapture;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Access log lines of HTTP/2 streams: handled requests and those the engine refuses. */
class Http2AccessLogTest {

    private final LineCapture lines = new LineCapture();
    private AccessLog log;
    private SakerServer server;

    @BeforeEach
    void start() {
        log = AccessLog.builder().pattern("%h|%r|%s|%b|%m|%U|%q|%H|%{x-in}i|%{X-Out}o|%u|%R").zone(ZoneOffset.UTC)
                .output(lines).build();
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true)
                .maxRequestBodySize(10).accessLog(log).build();
        server = SakerServer.create(config, Http2AccessLogTest::handle).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        assertThat(log.close(10, TimeUnit.SECONDS)).isTrue();
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private static void handle(HttpExchange ex) throws Exception {
        ex.remoteUser("carol");
        ex.responseHeaders().set("X-Out", "o");
        if (ex.path().equals("/stream")) {
            try (OutputStream out = ex.responseBody()) {
                for (int i = 0; i < 4; i++) {
                    out.write(new byte[20_000]);
                }
            }
            return;
        }
        ex.send("h2 hello");
    }

    @Test
    void handledStreams() throws Exception {
        try (H2Client client = new H2Client(server.port(), null)) {
            assertThat(client.get("/a?b=c").text()).isEqualTo("h2 hello");
            assertThat(lines.next()).isEqualTo("127.0.0.1|GET /a?b=c HTTP/2.0|200|8|GET|/a|?b=c|HTTP/2.0|-|o|carol|-");
            assertThat(client.get("/stream").body()).hasSize(80_000);
            assertThat(lines.next()).isEqualTo("127.0.0.1|GET /stream HTTP/2.0|200|80000|GET|/stream||HTTP/2.0|-|o|carol|-");
        }
    }

    @Test
    void refusedStreamsCarryTheirReason() throws Exception {
        try (H2Client client = new H2Client(server.port(), null)) {
            Http2StreamChannel tooLarge = client.openStream();
            Http2Headers head = new DefaultHttp2Headers().method("POST").path("/up").scheme("http").authority("localhost");
            head.set("content-length", "100");
            head.set("x-in", "v");
            tooLarge.writeAndFlush(new DefaultHttp2HeadersFrame(head, false)).sync();
            assertThat(lines.next()).isEqualTo("127.0.0.1|POST /up HTTP/2.0|413|-|POST|/up||HTTP/2.0|v|-|-|body_too_large");

            Http2StreamChannel malformed = client.openStream();
            Http2Headers noPath = new DefaultHttp2Headers().method("GET").scheme("http").authority("localhost");
            malformed.writeAndFlush(new DefaultHttp2HeadersFrame(noPath, true)).sync();
            // The stream was reset (PROTOCOL_ERROR): no status; the protocol is known, the request is not.
            assertThat(lines.next()).isEqualTo("127.0.0.1|-|-|-|-|-||HTTP/2.0|-|-|-|h2_no_path");
        }
    }
}
