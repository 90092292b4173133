package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reset the server sends (abort, a handler failure after commit) while request DATA frames wait
 * unread in the stream channel: the stream must still end, so the request is counted finished and
 * the connection can go idle.
 */
class Http2ServerResetTest {

    private static final int DATA_FRAME_HEADER = 9;

    private SakerServer server;
    private final CountDownLatch proceed = new CountDownLatch(1);

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(HttpHandler handler) {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true).build(),
                handler).start();
    }

    /**
     * Opens a POST whose handler waits for {@link #proceed}, then sends one more DATA frame, which
     * the stream channel queues (the handler reads nothing), then lets the handler go on.
     */
    private void postWithQueuedData(H2Client client) throws Exception {
        Http2StreamChannel stream = client.openPartial("/", new byte[1000]);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 1)).isTrue();
        long before = server.stats().bytesReceived();
        stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[2000]), false)).sync();
        assertThat(Poll.until(Duration.ofSeconds(10),
                () -> server.stats().bytesReceived() >= before + 2000 + DATA_FRAME_HEADER)).isTrue();
        proceed.countDown();
    }

    private void awaitProceed() throws InterruptedException {
        assertThat(proceed.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void failureAfterCommitWithUnreadDataEndsTheStream() throws Exception {
        start(ex -> {
            if (ex.path().equals("/next")) {
                ex.send("next");
                return;
            }
            OutputStream out = ex.responseBody();
            out.write(new byte[100]);
            out.flush();
            awaitProceed();
            throw new IllegalStateException("boom after commit");
        });
        try (H2Client client = new H2Client(server.port(), null)) {
            postWithQueuedData(client);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0))
                    .as("the reset stream is finished").isTrue();
            assertThat(client.get("/next").text()).isEqualTo("next");
        }
        assertThat(server.stats().http2().resetsSent(0x2)).as("INTERNAL_ERROR").isEqualTo(1);
    }

    @Test
    void abortWithUnreadDataEndsTheStream() throws Exception {
        start(ex -> {
            if (ex.path().equals("/next")) {
                ex.send("next");
                return;
            }
            awaitProceed();
            ex.abort(new IllegalStateException("given up"));
        });
        try (H2Client client = new H2Client(server.port(), null)) {
            postWithQueuedData(client);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0))
                    .as("the aborted stream is finished").isTrue();
            assertThat(client.get("/next").text()).isEqualTo("next");
        }
        // Every stream ended, so the connection is idle.
        assertThat(server.shutdownGracefully(Duration.ofSeconds(10)).idle()).isTrue();
    }
}
