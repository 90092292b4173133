package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frame floods and abuse sent with the raw {@link H2FrameClient}: each ends with a GOAWAY carrying
 * the right error code and the connection closed, no request left active and no buffer leaked.
 */
class Http2FloodTest {

    private static final int PROTOCOL_ERROR = 0x1;
    private static final int REFUSED_STREAM = 0x7;
    private static final int ENHANCE_YOUR_CALM = 0xb;

    private SakerServer server;
    private final AtomicInteger handlersReturned = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(UnaryOperator<ServerConfig.Builder> config) {
        server = SakerServer.create(config.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true)).build(),
                ex -> {
                    try {
                        // reads the whole body: blocks until END_STREAM, a reset or the connection's end
                        ex.requestBody().asInputStream().readAllBytes();
                        ex.send("x");
                    } finally {
                        handlersReturned.incrementAndGet();
                    }
                }).start();
    }

    private void assertAllReleased() {
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
        assertThat(server.stats().http2().streamsActive()).as("streams active").isZero();
    }

    /** CVE-2024-27316 style: one header block continued by empty CONTINUATION frames without end. */
    @Test
    void zeroLengthContinuationFloodIsRefused() throws Exception {
        start(b -> b);
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.headers(1, 0);
            for (int i = 0; i < 40; i++) {
                client.frame(H2FrameClient.CONTINUATION, 0, 1, new byte[0]);
            }
            H2FrameClient.Frame goAway = client.flush().readUntilGoAway();
            assertThat(goAway).isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(client.closedByServer()).isTrue();
        }
        assertAllReleased();
        assertThat(server.stats().http2().goAwaysSent(ENHANCE_YOUR_CALM)).isEqualTo(1);
    }

    /** Empty DATA frames without END_STREAM cost the server work and send nothing. */
    @Test
    void emptyDataFrameFloodIsRefused() throws Exception {
        start(b -> b);
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.headers(1, H2FrameClient.END_HEADERS);
            for (int i = 0; i < 20; i++) {
                client.frame(H2FrameClient.DATA, 0, 1, new byte[0]);
            }
            H2FrameClient.Frame goAway = client.flush().readUntilGoAway();
            assertThat(goAway).isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(client.closedByServer()).isTrue();
        }
        assertAllReleased();
        assertThat(server.stats().http2().goAwaysSent(ENHANCE_YOUR_CALM)).isEqualTo(1);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> handlersReturned.get() == 1)).as("handler thread released").isTrue();
    }

    /**
     * PING frames sent by a client that never reads the ACKs: the server's queue of control frames
     * reaches its bound and the connection ends (the client may not see the GOAWAY: its socket is full).
     */
    @Test
    void pingFloodWithoutReadingIsRefused() throws Exception {
        start(b -> b);
        assertControlFloodCloses(client -> client.ping(42));
    }

    /** The same with SETTINGS frames, each of which the server must acknowledge. */
    @Test
    void settingsFloodWithoutReadingIsRefused() throws Exception {
        start(b -> b);
        assertControlFloodCloses(client -> client.frame(H2FrameClient.SETTINGS, 0, 0, new byte[0]));
    }

    private void assertControlFloodCloses(java.util.function.Consumer<H2FrameClient> oneFrame) throws Exception {
        try (H2FrameClient client = new H2FrameClient(server.port(), 4096)) {
            client.flush();
            boolean refused = false;
            for (int batch = 0; batch < 1000 && !refused; batch++) {
                for (int i = 0; i < 1000; i++) {
                    oneFrame.accept(client);
                }
                try {
                    client.flush();
                } catch (IOException closedByServer) {
                    refused = true;
                }
            }
            assertThat(refused || client.closedByServer()).as("connection ended").isTrue();
        }
        assertAllReleased();
    }

    /**
     * MadeYouReset (CVE-2025-8671): each stream is made to be reset by the server (WINDOW_UPDATE
     * with increment 0 is a stream error), so it leaves the client's reset count at zero; the
     * server's own resets are bounded and the connection ends.
     */
    @Test
    void madeYouResetIsBounded() throws Exception {
        start(b -> b);
        int resetsSeen = 0;
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            int stream = 1;
            H2FrameClient.Frame goAway = null;
            boolean closed = false;
            for (int batch = 0; batch < 20 && !closed && goAway == null; batch++) {
                for (int i = 0; i < 50; i++, stream += 2) {
                    client.headers(stream, H2FrameClient.END_HEADERS).windowUpdate(stream, 0);
                }
                try {
                    client.flush();
                } catch (IOException closedByServer) {
                    closed = true;
                    break;
                }
                // reads the server's answers to this batch (its resets, perhaps a GOAWAY)
                for (int answered = 0; answered < 50; ) {
                    H2FrameClient.Frame frame = client.read();
                    if (frame == null) {
                        closed = true;
                        break;
                    }
                    if (frame.type() == H2FrameClient.GOAWAY) {
                        goAway = frame;
                        break;
                    }
                    if (frame.type() == H2FrameClient.RST_STREAM) {
                        assertThat(frame.errorCode()).as("reset code").isEqualTo(PROTOCOL_ERROR);
                        resetsSeen++;
                        answered++;
                    }
                }
            }
            assertThat(goAway != null || closed).as("ended after %d server resets", resetsSeen).isTrue();
            if (goAway != null) {
                assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            }
            assertThat(resetsSeen).isLessThanOrEqualTo(Http2Limits.MAX_RESETS_SENT);
            assertThat(client.closedByServer()).isTrue();
        }
        assertAllReleased();
        assertThat(server.stats().http2().resetsSent(PROTOCOL_ERROR)).isBetween((long) resetsSeen, (long) Http2Limits.MAX_RESETS_SENT + 1);
        assertThat(server.stats().http2().resetsReceived(PROTOCOL_ERROR)).isZero();
        assertThat(server.stats().http2().goAwaysSent(ENHANCE_YOUR_CALM)).isEqualTo(1);
    }

    /**
     * Streams past SETTINGS_MAX_CONCURRENT_STREAMS, opened before the client acknowledged the
     * server's SETTINGS (when Netty has not applied the limit yet): refused.
     */
    @Test
    void streamsPastTheLimitBeforeTheSettingsAckAreRefused() throws Exception {
        start(b -> b.http2MaxConcurrentStreams(2));
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            for (int stream = 1; stream <= 7; stream += 2) {
                client.headers(stream, H2FrameClient.END_HEADERS);
            }
            client.flush();
            H2FrameClient.Frame frame;
            int refusedOrClosed = 0;
            while ((frame = client.read()) != null) {
                if (frame.type() == H2FrameClient.RST_STREAM && frame.errorCode() == REFUSED_STREAM) {
                    refusedOrClosed++;
                    if (refusedOrClosed == 2) {
                        break;
                    }
                }
                if (frame.type() == H2FrameClient.GOAWAY) {
                    assertThat(frame.errorCode()).isIn(PROTOCOL_ERROR, REFUSED_STREAM);
                    refusedOrClosed = 2;
                    break;
                }
            }
            assertThat(refusedOrClosed).as("streams 5 and 7 refused").isEqualTo(2);
            assertThat(server.stats().http2().resetsSent(REFUSED_STREAM)).isEqualTo(2);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().http2().streamsActive() == 2))
                    .as("the two admitted streams are counted while their handlers wait").isTrue();
            assertThat(server.stats().requestsActive()).isLessThanOrEqualTo(2);
        }
        assertAllReleased();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> handlersReturned.get() <= 2 && server.stats().requestsActive() == 0)).isTrue();
    }
}
