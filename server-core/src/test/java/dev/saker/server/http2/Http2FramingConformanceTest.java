package dev.saker.server.http2;

import static dev.saker.server.http2.H2FrameClient.CONTINUATION;
import static dev.saker.server.http2.H2FrameClient.END_HEADERS;
import static dev.saker.server.http2.H2FrameClient.END_STREAM;
import static dev.saker.server.http2.H2FrameClient.PING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import dev.saker.server.tls.TlsConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** RFC 9113 §3 (starting HTTP/2), §4 (frames, sizes, field blocks) and §5.5 (extensions). */
class Http2FramingConformanceTest extends Http2ConformanceSupport {

    @Test
    @DisplayName("3.4 the server's preface is a SETTINGS frame, sent first")
    void s3_4_serverPrefaceIsSettings() throws Exception {
        H2FrameClient client = connectWithoutHandshake();
        H2FrameClient.Frame first = client.flush().read();
        assertThat(first.type()).isEqualTo(H2FrameClient.SETTINGS);
        assertThat(first.hasFlag(H2FrameClient.ACK)).isFalse();
        assertThat(first.streamId()).isZero();
    }

    @Test
    @DisplayName("3.4 h2 over TLS (ALPN): preface and SETTINGS exchanged, a request answered")
    void s3_4_prefaceOverTls() throws Exception {
        start(b -> b.tls(TlsConfig.builder(TestTls.material("server")).build()));
        SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null, "h2");
        assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        H2FrameClient client = register(new H2FrameClient(socket));
        client.handshake();
        assertThat(assertOk(client.headers(1, END_HEADERS | END_STREAM, get("/t")), 1).text()).startsWith("GET /t ");
    }

    @Test
    @DisplayName("3.4 invalid preface over TLS (ALPN h2): connection error PROTOCOL_ERROR (the GOAWAY may be omitted)")
    void s3_4_invalidPrefaceOverTls() throws Exception {
        start(b -> b.tls(TlsConfig.builder(TestTls.material("server")).build()));
        SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null, "h2");
        H2FrameClient client = register(new H2FrameClient(socket));
        client.replaceQueued("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .frame(H2FrameClient.SETTINGS, 0, 0, new byte[0]);
        H2FrameClient.Frame goAway = client.flush().readUntilGoAway();
        if (goAway != null) {
            assertThat(goAway.errorCode()).isEqualTo(PROTOCOL_ERROR);
        }
        assertThat(client.closedByServer()).isTrue();
    }

    /**
     * On the cleartext port the preface decides the protocol byte by byte: a client that breaks it
     * is not speaking HTTP/2, and the line {@code PRI * HTTP/2.0} is answered as HTTP/1.1 (505) and closed.
     */
    @Test
    @DisplayName("3.4 invalid preface on the cleartext port: answered as HTTP/1.1 (505) and closed")
    void s3_4_invalidPrefaceOnCleartext() throws Exception {
        start(b -> b);
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n");
            assertThat(raw.read().status()).isEqualTo(505);
            assertThat(raw.closedByServer(10_000)).isTrue();
        }
    }

    @Test
    @DisplayName("3.4 preface not followed by SETTINGS: connection error PROTOCOL_ERROR")
    void s3_4_prefaceWithoutSettings() throws Exception {
        H2FrameClient client = connectWithoutHandshake();
        client.replaceQueued(H2FrameClient.PREFACE).ping(1);
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("4.1 unknown frame type on stream 0: ignored")
    void s4_1_unknownFrameTypeIgnored() throws Exception {
        H2FrameClient client = connect();
        client.frame(0x16, 0, 0, new byte[8]);
        assertAlive(client);
    }

    @Test
    @DisplayName("4.1 undefined flags on PING and HEADERS: ignored")
    void s4_1_undefinedFlagsIgnored() throws Exception {
        H2FrameClient client = connect();
        client.frame(PING, 0x16 | 0x80, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).flush();
        H2FrameClient.Frame ack = client.read();
        assertThat(ack.type()).isEqualTo(PING);
        assertThat(ack.hasFlag(H2FrameClient.ACK)).isTrue();
        assertThat(ack.payload()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        client.headers(1, END_HEADERS | END_STREAM | 0x02 | 0x10 | 0x40 | 0x80, get("/"));
        assertOk(client, 1);
    }

    @Test
    @DisplayName("4.1 reserved bit of the stream identifier set: ignored")
    void s4_1_reservedBitIgnored() throws Exception {
        H2FrameClient client = connect();
        client.headers(1 | 0x8000_0000, END_HEADERS | END_STREAM, get("/"));
        assertOk(client, 1);
    }

    @Test
    @DisplayName("4.2 DATA of SETTINGS_MAX_FRAME_SIZE (16384) octets: accepted")
    void s4_2_dataOfMaxFrameSizeAccepted() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/")).data(1, END_STREAM, new byte[16_384]);
        assertThat(assertOk(client, 1).text()).contains("body=16384");
    }

    /** RFC 9113 §4.2 allows a stream or a connection error for DATA; Netty's frame reader makes it a connection error. */
    @Test
    @DisplayName("4.2 DATA larger than SETTINGS_MAX_FRAME_SIZE: FRAME_SIZE_ERROR (connection error)")
    void s4_2_dataLargerThanMaxFrameSize() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/")).data(1, END_STREAM, new byte[16_385]);
        assertConnectionError(client, FRAME_SIZE_ERROR);
    }

    @Test
    @DisplayName("4.2 HEADERS larger than SETTINGS_MAX_FRAME_SIZE: connection error FRAME_SIZE_ERROR")
    void s4_2_headersLargerThanMaxFrameSize() throws Exception {
        H2FrameClient client = connect();
        char[] filler = new char[16_400];
        Arrays.fill(filler, 'a');
        client.headers(1, END_HEADERS | END_STREAM, get("/").literal("x-big", new String(filler)));
        assertConnectionError(client, FRAME_SIZE_ERROR);
    }

    @Test
    @DisplayName("4.3 undecodable field block (string longer than the block): connection error COMPRESSION_ERROR")
    void s4_3_invalidFieldBlock() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, get("/").raw(0x00, 0x0f, 'a', 'b', 'c'));
        assertConnectionError(client, COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("4.3 PRIORITY frame inside a field block: connection error PROTOCOL_ERROR")
    void s4_3_priorityFrameInsideFieldBlock() throws Exception {
        H2FrameClient client = connect();
        byte[] block = get("/").bytes();
        client.frame(H2FrameClient.HEADERS, END_STREAM, 1, Arrays.copyOf(block, 2)).priority(1, 0, 16)
                .frame(CONTINUATION, END_HEADERS, 1, Arrays.copyOfRange(block, 2, block.length));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("4.3 dynamic table size update at the end of a field block: connection error COMPRESSION_ERROR")
    void s4_3_tableSizeUpdateAtEndOfBlock() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, get("/").tableSizeUpdate(0));
        assertConnectionError(client, COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("5.5 unknown frame type on an open stream: ignored")
    void s5_5_unknownFrameOnStreamIgnored() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/")).frame(0xee, 0x1, 1, new byte[5])
                .data(1, END_STREAM, new byte[3]);
        assertThat(assertOk(client, 1).text()).contains("body=3");
    }

    @Test
    @DisplayName("5.5 unknown frame type inside a field block: connection error PROTOCOL_ERROR")
    void s5_5_unknownFrameInsideFieldBlock() throws Exception {
        H2FrameClient client = connect();
        byte[] block = get("/").bytes();
        client.frame(H2FrameClient.HEADERS, END_STREAM, 1, Arrays.copyOf(block, 2)).frame(0xee, 0, 1, new byte[4])
                .frame(CONTINUATION, END_HEADERS, 1, Arrays.copyOfRange(block, 2, block.length));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    /** A frame of an unknown type with the reserved bit and length 0: the frame header alone must be skipped. */
    @Test
    @DisplayName("5.5 empty unknown frame between two requests: ignored")
    void s5_5_emptyUnknownFrameIgnored() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, get("/a"));
        assertOk(client, 1);
        client.frame(0xff, 0xff, 0x8000_0000, new byte[0]).headers(3, END_HEADERS | END_STREAM, get("/b"));
        assertOk(client, 3);
    }
}
