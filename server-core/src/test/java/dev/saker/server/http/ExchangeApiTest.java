package dev.saker.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.RawClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a handler sees and can do, over real sockets, in the blocking and the event-loop modes. */
class ExchangeApiTest {

    private SakerServer server;

    private int start(DispatchMode mode, HttpHandler handler) {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(mode).build(), handler).start();
        return server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void requestViewDecodesPathQueryAndHeaders() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        int port = start(DispatchMode.EVENT_LOOP, ex -> {
            Map<String, List<String>> q = ex.queryParameters();
            seen.set(ex.method() + "|" + ex.rawTarget() + "|" + ex.rawPath() + "|" + ex.path() + "|" + ex.rawQuery()
                    + "|" + q + "|" + ex.rawQueryParameters() + "|" + ex.host() + "|" + ex.protocol()
                    + "|" + ex.requestHeaders().getAll("x-multi") + "|" + ex.requestHeaders().get("X-ONE")
                    + "|" + ex.requestHeaders().names() + "|" + ex.remoteAddress().getAddress().getHostAddress()
                    + "|" + (ex.localAddress().getPort() == server.port()));
            ex.send("");
        });
        try (RawClient client = new RawClient(port)) {
            client.send("GET /caf%C3%A9/a%20b?x=1&y=a+b&x=%C3%A9&flag HTTP/1.1\r\nHost: example.org:8080\r\n"
                    + "X-Multi: one\r\nx-one:  spaced \t\r\nX-MULTI: two\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
        assertThat(seen.get()).isEqualTo("GET|/caf%C3%A9/a%20b?x=1&y=a+b&x=%C3%A9&flag|/caf%C3%A9/a%20b|/café/a b"
                + "|x=1&y=a+b&x=%C3%A9&flag|{x=[1, é], y=[a b], flag=[]}|{x=[1, %C3%A9], y=[a+b], flag=[]}"
                + "|example.org|HTTP/1.1|[one, two]|spaced|[Host, X-Multi, x-one]|127.0.0.1|true");
    }

    @Test
    void blockingHandlerStreamsAChunkedResponseWithTrailers() throws Exception {
        byte[] block = new byte[10_000];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) ('a' + i % 26);
        }
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            ex.responseHeaders().set("Content-Type", "text/plain");
            ex.trailers(new MutableHeaders().add("X-Checksum", "abc"));
            try (OutputStream out = ex.responseBody()) {
                for (int i = 0; i < 30; i++) {
                    out.write(block);
                }
            }
        });
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.header("Content-Length")).isNull();
            assertThat(response.body()).hasSize(300_000);
            assertThat(response.body()[10_001]).isEqualTo(block[1]);
            assertThat(response.trailers()).containsEntry("X-Checksum", "abc");
            // The connection stays usable.
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().body()).hasSize(300_000);
        }
    }

    @Test
    void aSmallStreamedBodyIsSentWithALength() throws Exception {
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            try (OutputStream out = ex.responseBody()) {
                out.write("small".getBytes(StandardCharsets.US_ASCII));
            }
        });
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.header("Content-Length")).isEqualTo("5");
            assertThat(response.bodyText()).isEqualTo("small");
        }
    }

    @Test
    void http10ClientGetsACloseDelimitedStreamedBody() throws Exception {
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            OutputStream out = ex.responseBody();
            out.write("part1".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write("part2".getBytes(StandardCharsets.US_ASCII));
        });
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.bodyText()).isEqualTo("part1part2");
        }
    }

    @Test
    void headAnswersWithTheLengthTheHandlerDeclared() throws Exception {
        int port = start(DispatchMode.EVENT_LOOP, ex -> {
            ex.responseHeaders().set("Content-Length", "1234");
            ex.send(new byte[0]);
        });
        try (RawClient client = new RawClient(port)) {
            client.send("HEAD /file HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read(true);
            assertThat(response.header("Content-Length")).isEqualTo("1234");
            client.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
    }

    @Test
    void redirectSetsLocationAndAnEmptyBody() throws Exception {
        int port = start(DispatchMode.EVENT_LOOP, ex -> ex.redirect(302, "/elsewhere?x=1"));
        try (RawClient client = new RawClient(port)) {
            client.send("GET /old HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.header("Location")).isEqualTo("/elsewhere?x=1");
            assertThat(response.header("Content-Length")).isEqualTo("0");
        }
    }

    @Test
    void blockingHandlerReadsTheBodyAsAStream() throws Exception {
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            try (InputStream in = ex.requestBody().asInputStream()) {
                ex.send("got " + new String(in.readAllBytes(), StandardCharsets.UTF_8) + " of "
                        + ex.requestBody().contentLength());
            }
        });
        try (RawClient client = new RawClient(port)) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(client.read().bodyText()).isEqualTo("got hello of 5");
            client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("got abcde of -1");
        }
    }

    @Test
    void eventLoopHandlerReadsTheBodyWithoutBlocking() throws Exception {
        int port = start(DispatchMode.EVENT_LOOP, ex -> {
            ex.async();
            StringBuilder got = new StringBuilder();
            ex.requestBody().read(new BodyConsumer() {
                @Override
                public void onData(io.netty.buffer.ByteBuf data, boolean last) {
                    got.append(data.toString(StandardCharsets.UTF_8));
                    if (last) {
                        ex.send("loop got " + got + " trailer " + ex.requestBody().trailers().get("X-T"));
                    } else {
                        ex.requestBody().read(this);
                    }
                }

                @Override
                public void onError(java.io.IOException error) {
                    ex.status(400).send(error.getMessage());
                }
            });
        });
        try (RawClient client = new RawClient(port)) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
            client.send("2\r\nde\r\n0\r\nX-T: 7\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("loop got abcde trailer 7");
        }
    }

    @Test
    void blockingReadOnTheEventLoopIsRefused() throws Exception {
        int port = start(DispatchMode.EVENT_LOOP, ex -> ex.requestBody().asInputStream());
        try (RawClient client = new RawClient(port)) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx");
            assertThat(client.read().status()).isEqualTo(500);
        }
    }

    @Test
    void handlerFailureBeforeCommitIs500AndTheConnectionSurvives() throws Exception {
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            if (ex.path().equals("/boom")) {
                throw new IllegalStateException("boom");
            }
            ex.send("fine");
        });
        try (RawClient client = new RawClient(port)) {
            client.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response failed = client.read();
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.bodyText()).doesNotContain("boom");
            client.send("GET /ok HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("fine");
        }
    }

    @Test
    void handlerFailureAfterCommitAbortsTheConnection() throws Exception {
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            OutputStream out = ex.responseBody();
            out.write(new byte[20_000]);
            throw new IllegalStateException("half way");
        });
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            String raw = client.readAvailable(1_000);
            assertThat(raw).startsWith("HTTP/1.1 200 OK");
            assertThat(raw).doesNotContain("\r\n0\r\n\r\n");
            assertThat(client.closedByServer(2_000)).isTrue();
        }
    }
}
