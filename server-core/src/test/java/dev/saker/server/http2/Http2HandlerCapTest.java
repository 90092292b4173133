package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code http2MaxHandlersPerConnection}: streams past the cap are refused, and admitted again once a handler returns. */
class Http2HandlerCapTest {

    private static final int REFUSED_STREAM = 0x7;

    private SakerServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    @Test
    void streamsPastTheHandlerCapAreRefusedUntilOneReturns() throws Exception {
        AtomicInteger running = new AtomicInteger();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true)
                .http2MaxHandlersPerConnection(2).build(), ex -> {
                    running.incrementAndGet();
                    if (!release.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("not released");
                    }
                    ex.send("done");
                }).start();
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.frame(H2FrameClient.SETTINGS, H2FrameClient.ACK, 0, new byte[0]);
            client.headers(1, H2FrameClient.END_HEADERS | H2FrameClient.END_STREAM)
                    .headers(3, H2FrameClient.END_HEADERS | H2FrameClient.END_STREAM).flush();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> running.get() == 2)).isTrue();
            client.headers(5, H2FrameClient.END_HEADERS | H2FrameClient.END_STREAM).flush();
            H2FrameClient.Frame refused = nextOf(client, H2FrameClient.RST_STREAM);
            assertThat(refused.streamId()).isEqualTo(5);
            assertThat(refused.errorCode()).isEqualTo(REFUSED_STREAM);
            assertThat(running.get()).as("the refused stream ran no handler").isEqualTo(2);

            release.countDown();
            int ended = 0;
            while (ended < 2) {
                H2FrameClient.Frame frame = client.read();
                assertThat(frame).isNotNull();
                if ((frame.type() == H2FrameClient.DATA || frame.type() == H2FrameClient.HEADERS)
                        && (frame.flags() & H2FrameClient.END_STREAM) != 0) {
                    ended++;
                }
            }
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
            client.headers(7, H2FrameClient.END_HEADERS | H2FrameClient.END_STREAM).flush();
            H2FrameClient.Frame answer = nextOf(client, H2FrameClient.HEADERS);
            assertThat(answer.streamId()).as("admitted once the handlers returned").isEqualTo(7);
            assertThat(server.stats().http2().resetsSent(REFUSED_STREAM)).isEqualTo(1);
            assertThat(server.stats().requestsRejected()).isEqualTo(1);
        }
    }

    private static H2FrameClient.Frame nextOf(H2FrameClient client, int type) throws Exception {
        H2FrameClient.Frame frame;
        do {
            frame = client.read();
            assertThat(frame).as("connection still open").isNotNull();
        } while (frame.type() != type);
        return frame;
    }
}
