package dev.saker.server.http2;

import static dev.saker.server.http2.H2FrameClient.DATA;
import static dev.saker.server.http2.H2FrameClient.END_STREAM;
import static dev.saker.server.http2.H2FrameClient.HEADERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown seen frame by frame: GOAWAY(NO_ERROR) naming the last stream the server took,
 * the streams in flight answered in full after it, then the connection closed.
 */
class Http2GracefulShutdownTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    @Test
    void goAwayNamesTheLastStreamAndTheStreamsInFlightFinish() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true).build(), ex -> {
            release.await(20, TimeUnit.SECONDS);
            ex.send("done " + ex.path());
        }).start();
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.handshake();
            client.request(1, END_STREAM, "GET", "/one").request(3, END_STREAM, "GET", "/three").flush();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 2)).isTrue();

            server.beginGracefulShutdown();
            H2FrameClient.Frame goAway = client.readUntilGoAway();
            assertThat(goAway).as("a GOAWAY before the close").isNotNull();
            assertThat(goAway.errorCode()).as("NO_ERROR").isZero();
            int lastStreamId = ((goAway.payload()[0] & 0x7f) << 24) | ((goAway.payload()[1] & 0xff) << 16)
                    | ((goAway.payload()[2] & 0xff) << 8) | (goAway.payload()[3] & 0xff);
            assertThat(lastStreamId).as("the last stream the server took").isEqualTo(3);

            release.countDown();
            // Both answers, in whatever order their frames come.
            Map<Integer, String> bodies = new HashMap<>();
            Set<Integer> ended = new HashSet<>();
            H2FrameClient.Frame frame;
            while (ended.size() < 2 && (frame = client.read()) != null) {
                if (frame.type() == DATA) {
                    bodies.merge(frame.streamId(), new String(frame.payload(), StandardCharsets.UTF_8), String::concat);
                }
                if ((frame.type() == DATA || frame.type() == HEADERS) && frame.hasFlag(END_STREAM)) {
                    ended.add(frame.streamId());
                }
            }
            assertThat(bodies).containsEntry(1, "done /one").containsEntry(3, "done /three");
            assertThat(client.closedByServer()).as("closed once its streams are done").isTrue();
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(server.stats().requestsActive()).isZero();
    }

    @Test
    void anIdleConnectionGetsAGoAwayAndClosesOnceIdleForTheGrace() throws Exception {
        Duration grace = Duration.ofMillis(300);
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true)
                .drainIdleGrace(grace).build(), ex -> ex.send("done " + ex.path())).start();
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.handshake();
            client.request(1, END_STREAM, "GET", "/one").flush();
            H2FrameClient.Frame frame;
            while ((frame = client.read()) != null && !(frame.streamId() == 1 && frame.hasFlag(END_STREAM))) {
                // the answer's frames
            }
            long lastActivity = System.nanoTime();

            server.beginGracefulShutdown();
            H2FrameClient.Frame goAway = client.readUntilGoAway();
            assertThat(goAway).as("a GOAWAY although no stream is open").isNotNull();
            assertThat(goAway.errorCode()).isZero();
            assertThat(client.closedByServer()).as("closed by the sweep after the grace").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - lastActivity)).isGreaterThanOrEqualTo(grace);
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }
}
