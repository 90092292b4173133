package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http2MaxHandlersPerConnection}: streams past the cap wait for a handler to return, and a
 * waiting stream the client resets never runs a handler.
 */
class Http2HandlerCapTest {

    private static final int CANCEL = 0x8;

    private SakerServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger ran = new AtomicInteger();

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private H2FrameClient start() throws Exception {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true)
                .http2MaxHandlersPerConnection(2).build(), ex -> {
                    ran.incrementAndGet();
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        if (!release.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("not released");
                        }
                        ex.send("done");
                    } finally {
                        running.decrementAndGet();
                    }
                }).start();
        H2FrameClient client = new H2FrameClient(server.port());
        client.frame(H2FrameClient.SETTINGS, H2FrameClient.ACK, 0, new byte[0]);
        return client;
    }

    @Test
    void streamsPastTheCapWaitForASlot() throws Exception {
        try (H2FrameClient client = start()) {
            for (int stream = 1; stream <= 7; stream += 2) {
                client.headers(stream, H2FrameClient.END_HEADERS | H2FrameClient.END_STREAM);
            }
            client.flush();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> running.get() == 2)).isTrue();
            assertThat(server.stats().http2().streamsActive()).as("the waiting streams are open").isEqualTo(4);
            release.countDown();
            assertThat(endedStreams(client, 4)).containsExactlyInAnyOrder(1, 3, 5, 7);
        }
        assertThat(maxRunning.get()).isEqualTo(2);
        assertThat(ran.get()).isEqualTo(4);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
    }

    @Test
    void aWaitingStreamResetByTheClientRunsNoHandler() throws Exception {
        try (H2FrameClient client = start()) {
            for (int stream = 1; stream <= 5; stream += 2) {
                client.headers(stream, H2FrameClient.END_HEADERS | H2FrameClient.END_STREAM);
            }
            client.flush();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> running.get() == 2)).isTrue();
            client.rstStream(5, CANCEL).flush();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().http2().streamsActive() == 2)).isTrue();
            release.countDown();
            assertThat(endedStreams(client, 2)).containsExactlyInAnyOrder(1, 3);
            // a new stream still gets a slot: the reset one gave its turn back
            client.headers(7, H2FrameClient.END_HEADERS | H2FrameClient.END_STREAM).flush();
            assertThat(endedStreams(client, 1)).containsExactly(7);
        }
        assertThat(ran.get()).isEqualTo(3);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
    }

    /** Reads until {@code count} streams ended (a frame with END_STREAM), returning their ids. */
    private static Set<Integer> endedStreams(H2FrameClient client, int count) throws Exception {
        Set<Integer> ended = new HashSet<>();
        while (ended.size() < count) {
            H2FrameClient.Frame frame = client.read();
            assertThat(frame).as("connection still open").isNotNull();
            if ((frame.type() == H2FrameClient.DATA || frame.type() == H2FrameClient.HEADERS)
                    && (frame.flags() & H2FrameClient.END_STREAM) != 0) {
                ended.add(frame.streamId());
            }
        }
        return ended;
    }
}
