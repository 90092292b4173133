package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP/2 exchange behaviour over h2c: dispatch modes, body reading, errors, trailers, deadlines, shutdown. */
class Http2BehaviourTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(UnaryOperator<ServerConfig.Builder> settings, HttpHandler handler) {
        server = SakerServer.create(settings.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true))
                .build(), handler).start();
    }

    @Test
    void loopHandlerReadsTheBodyWithoutBlocking() throws Exception {
        start(b -> b.dispatchMode(DispatchMode.EVENT_LOOP), ex -> {
            ex.async();
            ex.requestBody().read(new BodyConsumer() {
            long total;

            @Override
            public void onData(ByteBuf data, boolean last) {
                total += data.readableBytes();
                if (last) {
                    ex.send("got " + total);
                } else {
                    ex.requestBody().read(this);
                }
            }

            @Override
            public void onError(IOException error) {
                ex.abort(error);
            }
        });
        });
        try (H2Client client = new H2Client(server.port(), null)) {
            H2Client.Response response = client.request("POST", "/", new byte[250_000]).get(20, TimeUnit.SECONDS);
            assertThat(response.text()).isEqualTo("got 250000");
        }
    }

    @Test
    void unreadBodyDoesNotKeepTheStreamOpen() throws Exception {
        start(b -> b, ex -> ex.send("ignored the body"));
        try (H2Client client = new H2Client(server.port(), null)) {
            for (int i = 0; i < 3; i++) {
                H2Client.Response response = client.request("POST", "/", new byte[500_000]).get(20, TimeUnit.SECONDS);
                assertThat(response.text()).isEqualTo("ignored the body");
            }
            assertThat(client.get("/after").text()).isEqualTo("ignored the body");
        }
        // Every stream ended, so the server sees an idle connection and can close it at once.
        assertThat(server.shutdownGracefully(Duration.ofSeconds(10)).idle()).isTrue();
    }

    @Test
    void handlerFailureBeforeCommitIs500AfterCommitResetsTheStream() throws Exception {
        start(b -> b, ex -> {
            if (ex.path().equals("/late")) {
                OutputStream out = ex.responseBody();
                out.write(new byte[100]);
                out.flush();
            }
            throw new IllegalStateException("boom");
        });
        try (H2Client client = new H2Client(server.port(), null)) {
            assertThat(client.get("/early").status()).isEqualTo(500);
            CompletableFuture<H2Client.Response> late = client.request("GET", "/late", null);
            assertThatThrownBy(() -> late.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("stream reset");
            // The connection survives a stream reset.
            assertThat(client.get("/early").status()).isEqualTo(500);
        }
    }

    @Test
    void clientResetWakesTheBodyReaderAndDropsQueuedFrames() throws Exception {
        CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
        start(b -> b, ex -> {
            if (ex.path().equals("/next")) {
                ex.send("next");
                return;
            }
            try {
                ex.requestBody().asInputStream().readAllBytes();
                readFailure.complete(null);
            } catch (IOException e) {
                readFailure.complete(e);
            }
        });
        try (H2Client client = new H2Client(server.port(), null)) {
            io.netty.handler.codec.http2.Http2StreamChannel stream = client.openPartial("/upload", new byte[40_000]);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 1)).isTrue();
            stream.writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2ResetFrame(
                    io.netty.handler.codec.http2.Http2Error.CANCEL)).sync();
            // The reader blocked on the rest of the body is woken with an IOException.
            assertThat(readFailure.get(20, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
            assertThat(client.get("/next").text()).isEqualTo("next");
        }
    }

    @Test
    void trailersHeadAndStatus() throws Exception {
        start(b -> b, ex -> {
            ex.status(201);
            ex.responseHeaders().set("X-A", "1").set("Connection", "close");
            ex.trailers(new MutableHeaders().set("x-checksum", "abc"));
            try (OutputStream out = ex.responseBody()) {
                out.write("body".getBytes(StandardCharsets.US_ASCII));
            }
        });
        try (H2Client client = new H2Client(server.port(), null)) {
            H2Client.Response response = client.get("/");
            assertThat(response.status()).isEqualTo(201);
            assertThat(response.text()).isEqualTo("body");
            assertThat(response.headers().get("x-a").toString()).isEqualTo("1");
            assertThat(response.headers().contains("connection")).isFalse();
            assertThat(response.trailers().get("x-checksum").toString()).isEqualTo("abc");

            H2Client.Response head = client.request("HEAD", "/", null).get(20, TimeUnit.SECONDS);
            assertThat(head.status()).isEqualTo(201);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void idleConnectionClosesAtTheKeepAliveTimeout() throws Exception {
        start(b -> b.keepAliveTimeout(Duration.ofMillis(200)), ex -> ex.send("x"));
        try (H2Client client = new H2Client(server.port(), null)) {
            assertThat(client.get("/").text()).isEqualTo("x");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> !client.isOpen())).isTrue();
        }
        assertThat(Poll.until(Duration.ofSeconds(5),
                () -> server.stats().connectionsClosed(CloseReason.KEEP_ALIVE_TIMEOUT) == 1)).isTrue();
    }

    @Test
    void silentClientIsClosedAtTheHeadTimeout() throws Exception {
        start(b -> b.headTimeout(Duration.ofMillis(200)), ex -> ex.send("x"));
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("PRI * HT");
            assertThat(raw.closedByServer(10_000)).isTrue();
        }
        assertThat(Poll.until(Duration.ofSeconds(5),
                () -> server.stats().connectionsClosed(CloseReason.HEAD_TIMEOUT) == 1)).isTrue();
        assertThat(server.stats().connectionsActive()).isZero();
    }

    @Test
    void gracefulShutdownLetsTheStreamInFlightFinish() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(b -> b, ex -> {
            release.await(20, TimeUnit.SECONDS);
            ex.send("finished");
        });
        try (H2Client client = new H2Client(server.port(), null)) {
            CompletableFuture<H2Client.Response> slow = client.request("GET", "/slow", null);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 1)).isTrue();
            server.beginGracefulShutdown();
            release.countDown();
            assertThat(slow.get(20, TimeUnit.SECONDS).text()).isEqualTo("finished");
            assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }
}
