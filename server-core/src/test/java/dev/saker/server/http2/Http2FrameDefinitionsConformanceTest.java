package dev.saker.server.http2;

import static dev.saker.server.http2.H2FrameClient.ACK;
import static dev.saker.server.http2.H2FrameClient.CONTINUATION;
import static dev.saker.server.http2.H2FrameClient.DATA;
import static dev.saker.server.http2.H2FrameClient.END_HEADERS;
import static dev.saker.server.http2.H2FrameClient.END_STREAM;
import static dev.saker.server.http2.H2FrameClient.GOAWAY;
import static dev.saker.server.http2.H2FrameClient.HEADERS;
import static dev.saker.server.http2.H2FrameClient.PADDED;
import static dev.saker.server.http2.H2FrameClient.PING;
import static dev.saker.server.http2.H2FrameClient.PRIORITY;
import static dev.saker.server.http2.H2FrameClient.PRIORITY_FLAG;
import static dev.saker.server.http2.H2FrameClient.RST_STREAM;
import static dev.saker.server.http2.H2FrameClient.SETTINGS;
import static dev.saker.server.http2.H2FrameClient.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 9113 §6: each frame type's own rules (DATA ... CONTINUATION; flow control is in the stream class). */
class Http2FrameDefinitionsConformanceTest extends Http2ConformanceSupport {

    /** {@code pad length} octet, payload, then that many zero octets. */
    private static byte[] padded(byte[] payload, int padLength, int actualPadding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(padLength);
        out.writeBytes(payload);
        out.writeBytes(new byte[actualPadding]);
        return out.toByteArray();
    }

    /** Opens stream 1 with a GET to {@code /hold}: half-closed (remote) on the server until the test ends. */
    private H2FrameClient withHeldStream() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, get("/hold"));
        assertAlive(client);
        return client;
    }

    // ---- 6.1 DATA ----

    @Test
    @DisplayName("6.1 DATA on stream 0: connection error PROTOCOL_ERROR")
    void s6_1_dataOnStream0() throws Exception {
        H2FrameClient client = connect();
        client.data(0, END_STREAM, new byte[4]);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.1 padded DATA: the padding is not body")
    void s6_1_paddedDataAccepted() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/")).data(1, END_STREAM | PADDED, padded(new byte[5], 7, 7));
        assertThat(assertOk(client, 1).text()).contains("body=5");
    }

    @Test
    @DisplayName("6.1 DATA pad length not smaller than the payload: connection error PROTOCOL_ERROR")
    void s6_1_dataPadLengthTooLarge() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/")).data(1, END_STREAM | PADDED, padded(new byte[2], 6, 3));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    // ---- 6.2 HEADERS ----

    @Test
    @DisplayName("6.2 HEADERS on stream 0: connection error PROTOCOL_ERROR")
    void s6_2_headersOnStream0() throws Exception {
        H2FrameClient client = connect();
        client.headers(0, END_HEADERS | END_STREAM, get("/"));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.2 padded HEADERS with the PRIORITY flag: accepted")
    void s6_2_paddedHeadersWithPriorityAccepted() throws Exception {
        H2FrameClient client = connect();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(4);
        payload.writeBytes(new byte[] {0, 0, 0, 0, 15});
        payload.writeBytes(get("/p").bytes());
        payload.writeBytes(new byte[4]);
        client.frame(HEADERS, END_HEADERS | END_STREAM | PADDED | PRIORITY_FLAG, 1, payload.toByteArray());
        assertThat(assertOk(client, 1).text()).startsWith("GET /p ");
    }

    @Test
    @DisplayName("6.2 HEADERS pad length not smaller than the payload: connection error PROTOCOL_ERROR")
    void s6_2_headersPadLengthTooLarge() throws Exception {
        H2FrameClient client = connect();
        byte[] block = get("/").bytes();
        client.frame(HEADERS, END_HEADERS | END_STREAM | PADDED, 1, padded(block, block.length + 1, 0));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.2 HEADERS without END_HEADERS followed by DATA: connection error PROTOCOL_ERROR")
    void s6_2_headersWithoutEndHeadersThenData() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, 0, HpackBlock.request("POST", "/")).data(1, END_STREAM, new byte[3]);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.2 HEADERS without END_HEADERS followed by HEADERS on another stream: connection error PROTOCOL_ERROR")
    void s6_2_headersWithoutEndHeadersThenOtherStream() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_STREAM, get("/")).headers(3, END_HEADERS | END_STREAM, get("/"));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    // ---- 6.3 PRIORITY ----

    @Test
    @DisplayName("6.3 PRIORITY on stream 0: connection error PROTOCOL_ERROR")
    void s6_3_priorityOnStream0() throws Exception {
        H2FrameClient client = connect();
        client.priority(0, 1, 16);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.3 PRIORITY of length 4: stream error FRAME_SIZE_ERROR")
    void s6_3_priorityWrongLength() throws Exception {
        H2FrameClient client = withHeldStream();
        client.frame(PRIORITY, 0, 1, new byte[4]);
        assertStreamError(client, 1, FRAME_SIZE_ERROR);
    }

    @Test
    @DisplayName("6.3 PRIORITY on an idle stream: accepted, the stream can still be opened")
    void s6_3_priorityOnIdleStreamAccepted() throws Exception {
        H2FrameClient client = connect();
        client.priority(3, 0, 16);
        assertAlive(client);
        client.headers(3, END_HEADERS | END_STREAM, get("/"));
        assertOk(client, 3);
    }

    // ---- 6.4 RST_STREAM (on an idle stream: 5.1) ----

    @Test
    @DisplayName("6.4 RST_STREAM on stream 0: connection error PROTOCOL_ERROR")
    void s6_4_rstStreamOnStream0() throws Exception {
        H2FrameClient client = connect();
        client.rstStream(0, 0x8);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.4 RST_STREAM of length 3: connection error FRAME_SIZE_ERROR")
    void s6_4_rstStreamWrongLength() throws Exception {
        H2FrameClient client = withHeldStream();
        client.frame(RST_STREAM, 0, 1, new byte[3]);
        assertConnectionError(client, FRAME_SIZE_ERROR);
    }

    // ---- 6.5 SETTINGS ----

    @Test
    @DisplayName("6.5 SETTINGS is acknowledged with an empty SETTINGS ACK")
    void s6_5_settingsAcknowledged() throws Exception {
        H2FrameClient client = connect();
        client.settings(H2FrameClient.SETTINGS_MAX_CONCURRENT_STREAMS, 50).flush();
        H2FrameClient.Frame ack = client.read();
        assertThat(ack.type()).isEqualTo(SETTINGS);
        assertThat(ack.hasFlag(ACK)).isTrue();
        assertThat(ack.payload()).isEmpty();
    }

    @Test
    @DisplayName("6.5 SETTINGS ACK with a payload: connection error FRAME_SIZE_ERROR")
    void s6_5_settingsAckWithPayload() throws Exception {
        H2FrameClient client = connect();
        client.frame(SETTINGS, ACK, 0, new byte[6]);
        assertConnectionError(client, FRAME_SIZE_ERROR);
    }

    @Test
    @DisplayName("6.5 SETTINGS on stream 1: connection error PROTOCOL_ERROR")
    void s6_5_settingsOnStream1() throws Exception {
        H2FrameClient client = connect();
        client.frame(SETTINGS, 0, 1, new byte[6]);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.5 SETTINGS of length 3 (not a multiple of 6): connection error FRAME_SIZE_ERROR")
    void s6_5_settingsLengthNotMultipleOf6() throws Exception {
        H2FrameClient client = connect();
        client.frame(SETTINGS, 0, 0, new byte[] {0, 3, 0});
        assertConnectionError(client, FRAME_SIZE_ERROR);
    }

    @Test
    @DisplayName("6.5.2 SETTINGS_ENABLE_PUSH of 2: connection error PROTOCOL_ERROR")
    void s6_5_2_enablePushInvalid() throws Exception {
        H2FrameClient client = connect();
        client.settings(H2FrameClient.SETTINGS_ENABLE_PUSH, 2);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.5.2 SETTINGS_INITIAL_WINDOW_SIZE of 2^31: connection error FLOW_CONTROL_ERROR")
    void s6_5_2_initialWindowSizeTooLarge() throws Exception {
        H2FrameClient client = connect();
        client.settings(H2FrameClient.SETTINGS_INITIAL_WINDOW_SIZE, 1L << 31);
        assertConnectionError(client, FLOW_CONTROL_ERROR);
    }

    @Test
    @DisplayName("6.5.2 SETTINGS_MAX_FRAME_SIZE of 16383: connection error PROTOCOL_ERROR")
    void s6_5_2_maxFrameSizeTooSmall() throws Exception {
        H2FrameClient client = connect();
        client.settings(H2FrameClient.SETTINGS_MAX_FRAME_SIZE, 16_383);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.5.2 SETTINGS_MAX_FRAME_SIZE of 2^24: connection error PROTOCOL_ERROR")
    void s6_5_2_maxFrameSizeTooLarge() throws Exception {
        H2FrameClient client = connect();
        client.settings(H2FrameClient.SETTINGS_MAX_FRAME_SIZE, 1 << 24);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.5.2 unknown setting identifier: ignored, acknowledged")
    void s6_5_2_unknownSettingIgnored() throws Exception {
        H2FrameClient client = connect();
        client.settings(0xff, 1, 0x7777, 42).flush();
        H2FrameClient.Frame ack = client.read();
        assertThat(ack.type()).isEqualTo(SETTINGS);
        assertThat(ack.hasFlag(ACK)).isTrue();
        assertAlive(client);
    }

    @Test
    @DisplayName("6.5.3 values of one SETTINGS frame are processed in order (window 100 then 1: 1 octet of DATA)")
    void s6_5_3_settingsProcessedInOrder() throws Exception {
        H2FrameClient client = connect();
        client.settings(H2FrameClient.SETTINGS_INITIAL_WINDOW_SIZE, 100, H2FrameClient.SETTINGS_INITIAL_WINDOW_SIZE, 1)
                .headers(1, END_HEADERS | END_STREAM, get("/big?n=50")).flush();
        assertThat(receiveData(client, 1, 1)).isEqualTo(1);
    }

    // ---- 6.7 PING ----

    @Test
    @DisplayName("6.7 PING: answered by a PING ACK with the same payload")
    void s6_7_pingAcknowledged() throws Exception {
        assertAlive(connect());
    }

    @Test
    @DisplayName("6.7 PING ACK from the client: not answered")
    void s6_7_pingAckNotAnswered() throws Exception {
        H2FrameClient client = connect();
        client.frame(PING, ACK, 0, new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
        client.ping(7).flush();
        H2FrameClient.Frame frame = client.read();
        assertThat(frame.type()).isEqualTo(PING);
        assertThat(frame.payload()).as("the answer to the second PING, nothing for the ACK").containsExactly(0, 0, 0, 0, 0, 0, 0, 7);
    }

    @Test
    @DisplayName("6.7 PING on stream 1: connection error PROTOCOL_ERROR")
    void s6_7_pingOnStream1() throws Exception {
        H2FrameClient client = connect();
        client.frame(PING, 0, 1, new byte[8]);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.7 PING of length 6: connection error FRAME_SIZE_ERROR")
    void s6_7_pingWrongLength() throws Exception {
        H2FrameClient client = connect();
        client.frame(PING, 0, 0, new byte[6]);
        assertConnectionError(client, FRAME_SIZE_ERROR);
    }

    // ---- 6.8 GOAWAY ----

    @Test
    @DisplayName("6.8 GOAWAY on stream 1: connection error PROTOCOL_ERROR")
    void s6_8_goAwayOnStream1() throws Exception {
        H2FrameClient client = connect();
        client.frame(GOAWAY, 0, 1, new byte[8]);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    // ---- 6.9 WINDOW_UPDATE (flow control itself: the stream class) ----

    @Test
    @DisplayName("6.9 WINDOW_UPDATE of 0 on the connection: connection error PROTOCOL_ERROR")
    void s6_9_zeroIncrementOnConnection() throws Exception {
        H2FrameClient client = connect();
        client.windowUpdate(0, 0);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.9 WINDOW_UPDATE of 0 on a stream: stream error PROTOCOL_ERROR")
    void s6_9_zeroIncrementOnStream() throws Exception {
        H2FrameClient client = withHeldStream();
        client.windowUpdate(1, 0);
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.9 WINDOW_UPDATE of length 3: connection error FRAME_SIZE_ERROR")
    void s6_9_windowUpdateWrongLength() throws Exception {
        H2FrameClient client = connect();
        client.frame(WINDOW_UPDATE, 0, 0, new byte[3]);
        assertConnectionError(client, FRAME_SIZE_ERROR);
    }

    // ---- 6.10 CONTINUATION ----

    @Test
    @DisplayName("6.10 HEADERS then two CONTINUATION frames: one field block, accepted")
    void s6_10_continuationSequenceAccepted() throws Exception {
        H2FrameClient client = connect();
        byte[] block = get("/c").bytes();
        client.frame(HEADERS, END_STREAM, 1, Arrays.copyOf(block, 2))
                .frame(CONTINUATION, 0, 1, Arrays.copyOfRange(block, 2, 4))
                .frame(CONTINUATION, END_HEADERS, 1, Arrays.copyOfRange(block, 4, block.length));
        assertThat(assertOk(client, 1).text()).startsWith("GET /c ");
    }

    @Test
    @DisplayName("6.10 DATA between CONTINUATION frames: connection error PROTOCOL_ERROR")
    void s6_10_frameInterleavedInFieldBlock() throws Exception {
        H2FrameClient client = connect();
        byte[] block = HpackBlock.request("POST", "/").bytes();
        client.frame(HEADERS, 0, 1, Arrays.copyOf(block, 2))
                .frame(CONTINUATION, 0, 1, Arrays.copyOfRange(block, 2, 4))
                .data(1, 0, new byte[2])
                .frame(CONTINUATION, END_HEADERS, 1, Arrays.copyOfRange(block, 4, block.length));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.10 CONTINUATION on stream 0: connection error PROTOCOL_ERROR")
    void s6_10_continuationOnStream0() throws Exception {
        H2FrameClient client = connect();
        byte[] block = get("/").bytes();
        client.frame(HEADERS, END_STREAM, 1, Arrays.copyOf(block, 2))
                .frame(CONTINUATION, END_HEADERS, 0, Arrays.copyOfRange(block, 2, block.length));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.10 CONTINUATION on another stream: connection error PROTOCOL_ERROR")
    void s6_10_continuationOnOtherStream() throws Exception {
        H2FrameClient client = connect();
        byte[] block = get("/").bytes();
        client.frame(HEADERS, END_STREAM, 1, Arrays.copyOf(block, 2))
                .frame(CONTINUATION, END_HEADERS, 3, Arrays.copyOfRange(block, 2, block.length));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.10 CONTINUATION after a HEADERS frame with END_HEADERS: connection error PROTOCOL_ERROR")
    void s6_10_continuationAfterEndHeaders() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/"))
                .frame(CONTINUATION, END_HEADERS, 1, new HpackBlock().literal("x-a", "b").bytes());
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("6.10 CONTINUATION after DATA: connection error PROTOCOL_ERROR")
    void s6_10_continuationAfterData() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/")).data(1, 0, new byte[2])
                .frame(CONTINUATION, END_HEADERS, 1, new HpackBlock().literal("x-a", "b").bytes());
        assertConnectionError(client, PROTOCOL_ERROR);
    }
}
