package dev.saker.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A response that fails after commit must look broken to the client: no final chunk, or fewer bytes
 * than its declared length, and the connection closes.
 */
class AbortAfterCommitTest {

    private static final byte[] BLOCK = new byte[20_000];

    static {
        Arrays.fill(BLOCK, (byte) 'x');
    }

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
    void handlerThrowingAfterAFlushLeavesTheChunkedBodyUnterminated() throws Exception {
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            OutputStream out = ex.responseBody();
            out.write(BLOCK);
            out.flush();
            throw new IllegalStateException("serializer failed");
        });
        String raw = fetchUntilClose(port);
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked");
        assertThat(raw).doesNotEndWith("0\r\n\r\n");
        assertThat(raw.length()).isGreaterThan(BLOCK.length);
    }

    @Test
    void abortAfterAFlushLeavesTheChunkedBodyUnterminatedAndCloses() throws Exception {
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            OutputStream out = ex.responseBody();
            out.write(BLOCK);
            out.flush();
            ex.abort(new IOException("upstream failed"));
            // Writing on after an abort fails: nothing more reaches the client.
            try {
                out.write(BLOCK);
                out.close();
                throw new AssertionError("write after abort succeeded");
            } catch (IOException expected) {
                // as documented
            }
            assertThat(ex.committed()).isTrue();
        });
        String raw = fetchUntilClose(port);
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked");
        assertThat(raw).doesNotEndWith("0\r\n\r\n");
        assertThat(raw.length()).isBetween(BLOCK.length, BLOCK.length + 400);
    }

    @Test
    void abortWithADeclaredLengthSendsFewerBytesThenCloses() throws Exception {
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            ex.responseHeaders().set("Content-Length", Integer.toString(BLOCK.length * 3));
            OutputStream out = ex.responseBody();
            out.write(BLOCK);
            out.flush();
            ex.abort(null);
        });
        String raw = fetchUntilClose(port);
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Content-Length: 60000");
        int body = raw.length() - raw.indexOf("\r\n\r\n") - 4;
        assertThat(body).isEqualTo(BLOCK.length);
    }

    @Test
    void abortFromAnotherThreadOfAnAsyncExchangeCloses() throws Exception {
        int port = start(DispatchMode.EVENT_LOOP, ex -> {
            ex.async();
            CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = ex.responseBody();
                    out.write(BLOCK);
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                ex.abort(new IllegalStateException("late failure"));
            });
        });
        String raw = fetchUntilClose(port);
        assertThat(raw).startsWith("HTTP/1.1 200").doesNotEndWith("0\r\n\r\n");
        assertThat(Poll.until(java.time.Duration.ofSeconds(5),
                () -> server.stats().connectionsClosed(CloseReason.HANDLER_ERROR) == 1)).isTrue();
    }

    @Test
    void abortBeforeCommitClosesWithoutAResponse() throws Exception {
        int port = start(DispatchMode.WORKER_POOL, ex -> ex.abort(new IllegalStateException("nothing to say")));
        assertThat(fetchUntilClose(port)).isEmpty();
    }

    @Test
    void abortAfterTheResponseCompletedChangesNothing() throws Exception {
        java.util.concurrent.Semaphore abortReturned = new java.util.concurrent.Semaphore(0);
        int port = start(DispatchMode.WORKER_POOL, ex -> {
            ex.send("done");
            ex.abort(new IllegalStateException("too late"));
            abortReturned.release();
        });
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("done");
            // The next request only once the late abort returned: a completed exchange may already
            // carry the connection's next request, and a handler must not touch it then.
            assertThat(abortReturned.tryAcquire(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("done");
        }
    }

    /** Sends one keep-alive GET and reads until the server closes (the read timeout fails the test otherwise). */
    private static String fetchUntilClose(int port) throws IOException {
        try (RawClient client = new RawClient(port, 10_000)) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            byte[] all = client.socket().getInputStream().readAllBytes();
            return new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
