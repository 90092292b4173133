package dev.saker.server.http2;

import static dev.saker.server.http2.H2FrameClient.CONTINUATION;
import static dev.saker.server.http2.H2FrameClient.END_HEADERS;
import static dev.saker.server.http2.H2FrameClient.END_STREAM;
import static dev.saker.server.http2.H2FrameClient.HEADERS;
import static dev.saker.server.http2.H2FrameClient.PRIORITY_FLAG;
import static dev.saker.server.http2.H2FrameClient.SETTINGS_INITIAL_WINDOW_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 9113 §5 (stream states, identifiers, concurrency, priority, error handling) and §6.9.1-6.9.2 (flow control). */
class Http2StreamConformanceTest extends Http2ConformanceSupport {

    private static final int CANCEL = 0x8;
    private static final int MAX_WINDOW = Integer.MAX_VALUE;

    /** Opens stream 1 with a GET to {@code /hold}: half-closed (remote) on the server until the test ends. */
    private H2FrameClient withHeldStream() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, get("/hold"));
        assertAlive(client);
        return client;
    }

    /** Stream 1 answered and closed on both sides. */
    private H2FrameClient withClosedStream() throws Exception {
        H2FrameClient client = connect();
        assertOk(client.headers(1, END_HEADERS | END_STREAM, get("/")), 1);
        return client;
    }

    /** Reads until the response head on {@code streamId}: the server has taken the request and answers. */
    private static void awaitResponseHead(H2FrameClient client, int streamId) throws Exception {
        H2FrameClient.Frame frame;
        do {
            frame = client.read();
            assertThat(frame).isNotNull();
        } while (!frame.is(HEADERS, streamId));
    }

    // ---- 5.1 idle ----

    @Test
    @DisplayName("5.1 DATA on an idle stream: connection error PROTOCOL_ERROR")
    void s5_1_dataOnIdleStream() throws Exception {
        H2FrameClient client = connect();
        client.data(1, END_STREAM, new byte[3]);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("5.1 RST_STREAM on an idle stream: connection error PROTOCOL_ERROR")
    void s5_1_rstStreamOnIdleStream() throws Exception {
        H2FrameClient client = connect();
        client.rstStream(1, CANCEL);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("5.1 WINDOW_UPDATE on an idle stream: connection error PROTOCOL_ERROR")
    void s5_1_windowUpdateOnIdleStream() throws Exception {
        H2FrameClient client = connect();
        client.windowUpdate(1, 100);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("5.1 CONTINUATION on an idle stream: connection error PROTOCOL_ERROR")
    void s5_1_continuationOnIdleStream() throws Exception {
        H2FrameClient client = connect();
        client.frame(CONTINUATION, END_HEADERS, 1, get("/").bytes());
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    // ---- 5.1 half-closed (remote) ----

    @Test
    @DisplayName("5.1 DATA on a half-closed (remote) stream: stream error STREAM_CLOSED")
    void s5_1_dataOnHalfClosedRemote() throws Exception {
        H2FrameClient client = withHeldStream();
        client.data(1, END_STREAM, new byte[3]);
        assertStreamError(client, 1, STREAM_CLOSED);
    }

    /**
     * Known deviation: §5.1 asks for STREAM_CLOSED; Netty's decoder checks "a second field block
     * after END_STREAM" before the stream state and answers PROTOCOL_ERROR. Still a stream error:
     * the connection goes on.
     */
    @Test
    @DisplayName("5.1 HEADERS on a half-closed (remote) stream: stream error PROTOCOL_ERROR (deviation: STREAM_CLOSED required)")
    void s5_1_headersOnHalfClosedRemoteIsProtocolError() throws Exception {
        H2FrameClient client = withHeldStream();
        client.headers(1, END_HEADERS | END_STREAM, new HpackBlock().literal("x-trailer", "1"));
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    /** A CONTINUATION that follows no open field block is a connection error whatever the stream's state (§6.10). */
    @Test
    @DisplayName("5.1 CONTINUATION on a half-closed (remote) stream: connection error PROTOCOL_ERROR")
    void s5_1_continuationOnHalfClosedRemote() throws Exception {
        H2FrameClient client = withHeldStream();
        client.frame(CONTINUATION, END_HEADERS, 1, new HpackBlock().literal("x-a", "1").bytes());
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("5.1 WINDOW_UPDATE, PRIORITY on a half-closed (remote) stream: accepted, the response follows")
    void s5_1_windowUpdateAndPriorityOnHalfClosedRemote() throws Exception {
        H2FrameClient client = withHeldStream();
        client.windowUpdate(1, 1000).priority(1, 0, 200);
        assertAlive(client);
        stopHolding();
        assertThat(assertOk(client, 1).text()).isEqualTo("held");
    }

    @Test
    @DisplayName("5.1 RST_STREAM on a half-closed (remote) stream: accepted, the stream closes, the connection goes on")
    void s5_1_rstStreamOnHalfClosedRemote() throws Exception {
        H2FrameClient client = withHeldStream();
        client.rstStream(1, CANCEL);
        assertAlive(client);
        assertOk(client.headers(3, END_HEADERS | END_STREAM, get("/")), 3);
    }

    // ---- 5.1 closed ----

    @Test
    @DisplayName("5.1 DATA after the client's RST_STREAM: stream error STREAM_CLOSED")
    void s5_1_dataAfterRstStream() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/hold")).rstStream(1, CANCEL).data(1, END_STREAM, new byte[3]);
        assertStreamError(client, 1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("5.1 HEADERS after the client's RST_STREAM: stream error STREAM_CLOSED")
    void s5_1_headersAfterRstStream() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/hold")).rstStream(1, CANCEL)
                .headers(1, END_HEADERS | END_STREAM, new HpackBlock().literal("x-trailer", "1"));
        assertStreamError(client, 1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("5.1 DATA on a closed stream (END_STREAM both ways): stream error STREAM_CLOSED")
    void s5_1_dataOnClosedStream() throws Exception {
        H2FrameClient client = withClosedStream();
        client.data(1, END_STREAM, new byte[3]);
        assertStreamError(client, 1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("5.1 HEADERS on a closed stream (END_STREAM both ways): stream error STREAM_CLOSED")
    void s5_1_headersOnClosedStream() throws Exception {
        H2FrameClient client = withClosedStream();
        client.headers(1, END_HEADERS | END_STREAM, get("/"));
        assertStreamError(client, 1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("5.1 WINDOW_UPDATE, RST_STREAM, PRIORITY on a closed stream: ignored")
    void s5_1_controlFramesOnClosedStreamIgnored() throws Exception {
        H2FrameClient client = withClosedStream();
        client.windowUpdate(1, 100).rstStream(1, CANCEL).priority(1, 0, 16);
        assertAlive(client);
    }

    // ---- 5.1.1 stream identifiers ----

    @Test
    @DisplayName("5.1.1 HEADERS on an even stream identifier: connection error PROTOCOL_ERROR")
    void s5_1_1_evenStreamId() throws Exception {
        H2FrameClient client = connect();
        client.headers(2, END_HEADERS | END_STREAM, get("/"));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    /**
     * Known deviation: §5.1.1 asks for a connection error PROTOCOL_ERROR. Netty keeps no record of
     * closed streams, so it cannot tell stream 3 (never opened, implicitly closed by stream 5) from
     * a stream that was used and closed, and answers as for the latter: RST_STREAM(STREAM_CLOSED).
     * The request is not served either way.
     */
    @Test
    @DisplayName("5.1.1 HEADERS on a stream identifier lower than one used: stream error STREAM_CLOSED (deviation: connection error PROTOCOL_ERROR required)")
    void s5_1_1_decreasingStreamIdIsStreamClosed() throws Exception {
        H2FrameClient client = connect();
        assertOk(client.headers(5, END_HEADERS | END_STREAM, get("/")), 5);
        client.headers(3, END_HEADERS | END_STREAM, get("/"));
        assertStreamError(client, 3, STREAM_CLOSED);
        assertThat(server.stats().requestsTotal()).as("stream 3 not served").isEqualTo(1);
    }

    // ---- 5.1.2 concurrency ----

    @Test
    @DisplayName("5.1.2 a stream past SETTINGS_MAX_CONCURRENT_STREAMS: stream error REFUSED_STREAM")
    void s5_1_2_streamPastMaxConcurrentStreams() throws Exception {
        start(b -> b.http2MaxConcurrentStreams(2));
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, get("/hold")).headers(3, END_HEADERS | END_STREAM, get("/hold"))
                .headers(5, END_HEADERS | END_STREAM, get("/hold"));
        assertStreamError(client, 5, REFUSED_STREAM);
    }

    // ---- 5.3.1 priority ----

    /** §5.3.1 names a stream error; Netty's frame reader makes it a connection error, which §5.4 allows. */
    @Test
    @DisplayName("5.3.1 HEADERS with a priority depending on its own stream: PROTOCOL_ERROR (connection error, allowed by 5.4)")
    void s5_3_1_headersDependingOnItself() throws Exception {
        H2FrameClient client = connect();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(ByteBuffer.allocate(5).putInt(1).put((byte) 15).array());
        payload.writeBytes(get("/").bytes());
        client.frame(HEADERS, END_HEADERS | END_STREAM | PRIORITY_FLAG, 1, payload.toByteArray());
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("5.3.1 PRIORITY depending on its own stream: stream error PROTOCOL_ERROR")
    void s5_3_1_priorityDependingOnItself() throws Exception {
        H2FrameClient client = withHeldStream();
        client.priority(1, 1, 16);
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    // ---- 5.4 error handling ----

    /**
     * Known deviation (imprecise, not a MUST): the GOAWAY of a connection error should name the
     * last stream the server processed (1 here); Netty names 2^31-1 for every "hard" connection
     * error (all of the codec's), because a frame-reader or HPACK error can come before it records
     * the stream (netty/netty#10670). A client learns nothing about which streams it may retry.
     */
    @Test
    @DisplayName("5.4.1 connection error: GOAWAY then the close; its last stream id is 2^31-1 (deviation: 1 expected)")
    void s5_4_1_goAwayNamesMaxStreamId() throws Exception {
        H2FrameClient client = withClosedStream();
        client.frame(H2FrameClient.PING, 0, 0, new byte[6]).flush();
        H2FrameClient.Frame goAway = client.readUntilGoAway();
        assertThat(goAway).isNotNull();
        assertThat(goAway.errorCode()).isEqualTo(FRAME_SIZE_ERROR);
        assertThat(ByteBuffer.wrap(goAway.payload()).getInt() & MAX_WINDOW).as("last stream id").isEqualTo(MAX_WINDOW);
        assertThat(client.closedByServer()).isTrue();
    }

    @Test
    @DisplayName("5.4.2 stream error: RST_STREAM on that stream, other streams go on")
    void s5_4_2_streamErrorKeepsConnection() throws Exception {
        H2FrameClient client = withHeldStream();
        client.windowUpdate(1, 0);
        assertStreamError(client, 1, PROTOCOL_ERROR);
        assertOk(client.headers(3, END_HEADERS | END_STREAM, get("/")), 3);
    }

    // ---- 6.9.1 / 6.9.2 flow control ----

    @Test
    @DisplayName("6.9.1 the server sends no more DATA than the client's initial stream window, then the rest after WINDOW_UPDATE")
    void s6_9_1_streamWindowRespected() throws Exception {
        H2FrameClient client = connectWithoutHandshake();
        client.settings(SETTINGS_INITIAL_WINDOW_SIZE, 1);
        client.handshake();
        client.headers(1, END_HEADERS | END_STREAM, get("/big?n=100")).flush();
        assertThat(receiveData(client, 1, 1)).isEqualTo(1);
        client.windowUpdate(1, 99);
        assertThat(client.flush().readResponse(1).body()).hasSize(99);
    }

    @Test
    @DisplayName("6.9.1 the server sends no more DATA than the connection window (65535), then the rest after WINDOW_UPDATE")
    void s6_9_1_connectionWindowRespected() throws Exception {
        H2FrameClient client = connectWithoutHandshake();
        client.settings(SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20);
        client.handshake();
        client.headers(1, END_HEADERS | END_STREAM, get("/big?n=70000")).flush();
        assertThat(receiveData(client, 1, 65_535)).isEqualTo(65_535);
        client.windowUpdate(0, 10_000);
        assertThat(client.flush().readResponse(1).body()).hasSize(70_000 - 65_535);
    }

    @Test
    @DisplayName("6.9.1 WINDOW_UPDATE making the connection window exceed 2^31-1: connection error FLOW_CONTROL_ERROR")
    void s6_9_1_connectionWindowOverflow() throws Exception {
        H2FrameClient client = connect();
        client.windowUpdate(0, MAX_WINDOW);
        assertConnectionError(client, FLOW_CONTROL_ERROR);
    }

    @Test
    @DisplayName("6.9.1 WINDOW_UPDATE making a stream window exceed 2^31-1: stream error FLOW_CONTROL_ERROR")
    void s6_9_1_streamWindowOverflow() throws Exception {
        H2FrameClient client = withHeldStream();
        client.windowUpdate(1, MAX_WINDOW);
        assertStreamError(client, 1, FLOW_CONTROL_ERROR);
    }

    @Test
    @DisplayName("6.9.2 SETTINGS_INITIAL_WINDOW_SIZE raised while a response waits on a 0 window: the stream's window grows")
    void s6_9_2_initialWindowChangeAppliesToOpenStreams() throws Exception {
        H2FrameClient client = connectWithoutHandshake();
        client.settings(SETTINGS_INITIAL_WINDOW_SIZE, 0);
        client.handshake();
        client.headers(1, END_HEADERS | END_STREAM, get("/big?n=10")).flush();
        awaitResponseHead(client, 1);
        client.settings(SETTINGS_INITIAL_WINDOW_SIZE, 1).flush();
        assertThat(receiveData(client, 1, 1)).isEqualTo(1);
    }

    @Test
    @DisplayName("6.9.2 SETTINGS_INITIAL_WINDOW_SIZE lowered below what was sent: the window goes negative, DATA resumes only above 0")
    void s6_9_2_initialWindowGoesNegative() throws Exception {
        H2FrameClient client = connectWithoutHandshake();
        client.settings(SETTINGS_INITIAL_WINDOW_SIZE, 5);
        client.handshake();
        client.headers(1, END_HEADERS | END_STREAM, get("/big?n=20")).flush();
        assertThat(receiveData(client, 1, 5)).isEqualTo(5);
        client.settings(SETTINGS_INITIAL_WINDOW_SIZE, 3).windowUpdate(1, 2).flush();
        assertThat(receiveData(client, 1, 0)).as("window -2 + 2 = 0: nothing").isZero();
        client.windowUpdate(1, 1).flush();
        assertThat(receiveData(client, 1, 1)).isEqualTo(1);
    }

    /**
     * Known deviation: §6.9.2 asks for a connection error FLOW_CONTROL_ERROR. Netty's outbound flow
     * controller applies the new initial window stream by stream and raises the same stream error
     * as for a WINDOW_UPDATE overflow: RST_STREAM(FLOW_CONTROL_ERROR) on the overflowing stream.
     */
    @Test
    @DisplayName("6.9.2 SETTINGS_INITIAL_WINDOW_SIZE making an open stream's window exceed 2^31-1: stream error FLOW_CONTROL_ERROR (deviation: connection error required)")
    void s6_9_2_initialWindowOverflowIsStreamError() throws Exception {
        H2FrameClient client = withHeldStream();
        client.windowUpdate(1, 1000).settings(SETTINGS_INITIAL_WINDOW_SIZE, MAX_WINDOW);
        assertStreamError(client, 1, FLOW_CONTROL_ERROR);
    }
}
