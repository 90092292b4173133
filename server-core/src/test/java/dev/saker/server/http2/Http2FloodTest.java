package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frame floods and abuse sent with the raw {@link H2FrameClient}: each ends with a GOAWAY carrying
 * the right error code and the connection closed (close reason {@link CloseReason#FLOOD}), no
 * request left active, every handler of the connection released and no buffer leaked.
 */
class Http2FloodTest {

    private static final int PROTOCOL_ERROR = 0x1;
    private static final int REFUSED_STREAM = 0x7;
    private static final int ENHANCE_YOUR_CALM = 0xb;
    private static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;

    private SakerServer server;
    private final AtomicInteger handlersReturned = new AtomicInteger();
    private final AtomicInteger chunksWritten = new AtomicInteger();
    private final List<IOException> handlerFailures = new CopyOnWriteArrayList<>();
    private final CountDownLatch readerStarted = new CountDownLatch(1);

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
                        if (ex.path().equals("/big")) {
                            // 64 MiB at most: blocks once the client's window or the socket is full
                            OutputStream out = ex.responseBody();
                            byte[] chunk = new byte[16 * 1024];
                            for (int i = 0; i < 4096; i++) {
                                out.write(chunk);
                                chunksWritten.incrementAndGet();
                            }
                            out.close();
                            return;
                        }
                        InputStream in = ex.requestBody().asInputStream();
                        if (ex.path().equals("/read")) {
                            in.read(new byte[100]);
                            readerStarted.countDown();
                        }
                        // reads the whole body: blocks until END_STREAM, a reset or the connection's end
                        in.readAllBytes();
                        ex.send("x");
                    } catch (IOException e) {
                        handlerFailures.add(e);
                        throw e;
                    } finally {
                        handlersReturned.incrementAndGet();
                    }
                }).start();
    }

    private long closedBy(CloseReason reason) {
        return server.stats().connectionsClosed(reason);
    }

    private void assertAllReleased() {
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().http2().streamsActive() == 0)).as("streams active " + server.stats().http2().streamsActive()).isTrue();
    }

    /**
     * CVE-2024-27316 style: one header block continued by empty CONTINUATION frames without end.
     * The limit is set to 4 here: the 6 frames sent would pass the default of 16.
     */
    @Test
    void zeroLengthContinuationFloodIsRefused() throws Exception {
        start(b -> b.http2MaxSmallContinuationFrames(4));
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.headers(1, 0);
            for (int i = 0; i < 6; i++) {
                client.frame(H2FrameClient.CONTINUATION, 0, 1, new byte[0]);
            }
            H2FrameClient.Frame goAway = client.flush().readUntilGoAway();
            assertThat(goAway).isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(client.closedByServer()).isTrue();
        }
        assertAllReleased();
        assertThat(server.stats().http2().goAwaysSent(ENHANCE_YOUR_CALM)).isEqualTo(1);
        assertThat(closedBy(CloseReason.FLOOD)).isEqualTo(1);
        assertThat(closedBy(CloseReason.CLIENT)).isZero();
    }

    /**
     * Empty DATA frames without END_STREAM cost the server work and send nothing. The limit is 1
     * here: the 2 frames sent would pass the default of 2.
     */
    @Test
    void emptyDataFrameFloodIsRefused() throws Exception {
        start(b -> b.http2MaxConsecutiveEmptyDataFrames(1));
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.headers(1, H2FrameClient.END_HEADERS);
            for (int i = 0; i < 2; i++) {
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
        assertThat(closedBy(CloseReason.FLOOD)).isEqualTo(1);
    }

    /** Rapid Reset with the limit set to 10 resets (default 200): the 11th ends the connection. */
    @Test
    void resetsReceivedPastTheConfiguredLimitEndTheConnection() throws Exception {
        start(b -> b.http2MaxResetsReceivedPerWindow(10).http2ResetWindow(Duration.ofSeconds(60)));
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            for (int stream = 1; stream <= 2 * 12; stream += 2) {
                client.headers(stream, H2FrameClient.END_HEADERS).rstStream(stream, 0x8);
            }
            H2FrameClient.Frame goAway = client.flush().readUntilGoAway();
            assertThat(goAway).isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(client.closedByServer()).isTrue();
        }
        assertAllReleased();
        assertThat(server.stats().http2().resetsReceived(0x8)).isEqualTo(11);
        assertThat(closedBy(CloseReason.FLOOD)).isEqualTo(1);
    }

    /** A connection error other than a flood (DATA on stream 0) is counted as a protocol error. */
    @Test
    void protocolErrorIsItsOwnCloseReason() throws Exception {
        start(b -> b);
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.data(0, false, new byte[4]);
            H2FrameClient.Frame goAway = client.flush().readUntilGoAway();
            assertThat(goAway).isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(PROTOCOL_ERROR);
            assertThat(client.closedByServer()).isTrue();
        }
        assertAllReleased();
        assertThat(closedBy(CloseReason.PROTOCOL_ERROR)).isEqualTo(1);
        assertThat(closedBy(CloseReason.CLIENT)).isZero();
    }

    /**
     * A handler blocked reading a body the client never finishes and one blocked writing a
     * response the client gives no window for are both woken with an {@link IOException} when a
     * flood on another stream ends the connection: the attack holds no worker thread.
     */
    @Test
    void handlersBlockedOnAFloodedConnectionAreReleased() throws Exception {
        start(b -> b);
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.request(1, 0, "POST", "/read").data(1, false, new byte[10])
                    .request(3, H2FrameClient.END_STREAM, "GET", "/big").flush();
            assertThat(readerStarted.await(10, TimeUnit.SECONDS)).as("reader got its first bytes").isTrue();
            // The writer fills the client's 65535-byte window, then waits for a WINDOW_UPDATE that never comes.
            int received = 0;
            while (received < 65_535) {
                H2FrameClient.Frame frame = client.read();
                assertThat(frame).isNotNull();
                if (frame.type() == H2FrameClient.DATA && frame.streamId() == 3) {
                    received += frame.payload().length;
                }
            }
            assertThat(handlersReturned.get()).as("both handlers still blocked").isZero();
            client.headers(5, 0);
            for (int i = 0; i < 40; i++) {
                client.frame(H2FrameClient.CONTINUATION, 0, 5, new byte[0]);
            }
            H2FrameClient.Frame goAway = client.flush().readUntilGoAway();
            assertThat(goAway).isNotNull();
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> handlersReturned.get() == 2)).as("both handler threads returned").isTrue();
        assertThat(handlerFailures).hasSize(2);
        assertAllReleased();
        assertThat(closedBy(CloseReason.FLOOD)).isEqualTo(1);
    }

    /**
     * PING frames sent by a client that never reads the ACKs: the server's queue of control frames
     * reaches its bound ({@code http2MaxQueuedControlFrames}, low here) and the connection ends (the
     * client may not see the GOAWAY: its socket is full).
     */
    @Test
    void pingFloodWithoutReadingIsRefused() throws Exception {
        start(b -> b.http2MaxQueuedControlFrames(50));
        assertControlFloodCloses(client -> client.ping(42));
    }

    /** The same with SETTINGS frames, each of which the server must acknowledge. */
    @Test
    void settingsFloodWithoutReadingIsRefused() throws Exception {
        start(b -> b.http2MaxQueuedControlFrames(50));
        assertControlFloodCloses(client -> client.frame(H2FrameClient.SETTINGS, 0, 0, new byte[0]));
    }

    /**
     * First a response the client does not read, with all the window it can take, fills the
     * server's socket buffer, so every control frame the server answers from then on stays queued
     * (without it the flood itself would have to fill the buffer, megabytes of small frames).
     */
    private void assertControlFloodCloses(java.util.function.Consumer<H2FrameClient> oneFrame) throws Exception {
        try (H2FrameClient client = new H2FrameClient(server.port(), 4096)) {
            client.settings(SETTINGS_INITIAL_WINDOW_SIZE, Integer.MAX_VALUE).windowUpdate(0, Integer.MAX_VALUE - 65_535)
                    .request(1, H2FrameClient.END_STREAM, "GET", "/big").flush();
            boolean refused = false;
            for (int batch = 0; batch < 10_000 && !refused; batch++) {
                for (int i = 0; i < 100; i++) {
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
        assertThat(closedBy(CloseReason.FLOOD)).isEqualTo(1);
        assertThat(server.stats().http2().goAwaysSent(ENHANCE_YOUR_CALM)).isEqualTo(1);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> handlersReturned.get() == 1)).as("the writer released").isTrue();
        assertThat(handlerFailures).as("writer failed after %d chunks", chunksWritten.get()).hasSize(1);
    }

    /**
     * MadeYouReset (CVE-2025-8671): each stream is made to be reset by the server (WINDOW_UPDATE
     * with increment 0 is a stream error), so it leaves the client's reset count at zero; the
     * server's own resets are bounded and the connection ends.
     */
    @Test
    void madeYouResetIsBounded() throws Exception {
        int limit = 50;
        start(b -> b.http2MaxResetsSentPerWindow(limit));
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
            assertThat(resetsSeen).isLessThanOrEqualTo(limit);
            assertThat(client.closedByServer()).isTrue();
        }
        assertAllReleased();
        assertThat(server.stats().http2().resetsSent(PROTOCOL_ERROR)).isBetween((long) resetsSeen, (long) limit + 1);
        assertThat(server.stats().http2().resetsReceived(PROTOCOL_ERROR)).isZero();
        assertThat(server.stats().http2().goAwaysSent(ENHANCE_YOUR_CALM)).isEqualTo(1);
        assertThat(closedBy(CloseReason.FLOOD)).isEqualTo(1);
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
