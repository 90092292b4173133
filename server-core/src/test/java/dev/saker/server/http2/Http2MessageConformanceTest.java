package dev.saker.server.http2;

import static dev.saker.server.http2.H2FrameClient.END_HEADERS;
import static dev.saker.server.http2.H2FrameClient.END_STREAM;
import static dev.saker.server.http2.H2FrameClient.HEADERS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9113 §8 (HTTP message exchange, fields, pseudo-header fields, CONNECT) and RFC 7541 (HPACK).
 * A malformed request is a stream error PROTOCOL_ERROR (§8.1.1): the connection goes on.
 */
class Http2MessageConformanceTest extends Http2ConformanceSupport {

    /** {@code :method GET}, {@code :scheme http}, {@code :path /}, {@code :authority localhost}, literal. */
    private static HpackBlock head(String... namesAndValues) {
        HpackBlock block = new HpackBlock();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            block.literal(namesAndValues[i], namesAndValues[i + 1]);
        }
        return block;
    }

    private void assertMalformed(HpackBlock block) throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, block);
        assertStreamError(client, 1, PROTOCOL_ERROR);
        assertThat(server.stats().requestsTotal()).as("no handler ran").isLessThanOrEqualTo(1);
    }

    // ---- 8.1 message exchange ----

    @Test
    @DisplayName("8.1 request with trailers (HEADERS, DATA, HEADERS with END_STREAM): accepted, trailers passed on")
    void s8_1_requestWithTrailers() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/")).data(1, 0, new byte[4])
                .headers(1, END_HEADERS | END_STREAM, head("x-checksum", "abc"));
        assertThat(assertOk(client, 1).text()).contains("body=4 trailers=[x-checksum]");
    }

    @Test
    @DisplayName("8.1 trailers without END_STREAM: stream error PROTOCOL_ERROR")
    void s8_1_trailersWithoutEndStream() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/")).data(1, 0, new byte[4])
                .headers(1, END_HEADERS, head("x-checksum", "abc"));
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    /** The same Netty check as {@code s5_1_headersOnHalfClosedRemoteIsProtocolError}. */
    @Test
    @DisplayName("8.1 HEADERS after the trailers: stream error PROTOCOL_ERROR (deviation: STREAM_CLOSED required, 5.1)")
    void s8_1_headersAfterTrailersIsProtocolError() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/hold")).data(1, 0, new byte[4])
                .headers(1, END_HEADERS | END_STREAM, head("x-checksum", "abc"))
                .headers(1, END_HEADERS | END_STREAM, head("x-more", "1"));
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("8.1.1 content-length larger than the DATA sent: stream error PROTOCOL_ERROR")
    void s8_1_1_contentLengthLargerThanData() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/").literal("content-length", "10"))
                .data(1, END_STREAM, new byte[5]);
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("8.1.1 content-length smaller than the DATA sent: stream error PROTOCOL_ERROR")
    void s8_1_1_contentLengthSmallerThanData() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/").literal("content-length", "3"))
                .data(1, END_STREAM, new byte[5]);
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("8.1.1 content-length not the sum of several DATA frames: stream error PROTOCOL_ERROR")
    void s8_1_1_contentLengthMismatchOverDataFrames() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/").literal("content-length", "10"))
                .data(1, 0, new byte[4]).data(1, END_STREAM, new byte[4]);
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("8.1.1 content-length equal to the sum of the DATA frames: accepted")
    void s8_1_1_contentLengthMatchingData() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/").literal("content-length", "8"))
                .data(1, 0, new byte[4]).data(1, END_STREAM, new byte[4]);
        assertThat(assertOk(client, 1).text()).contains("body=8");
    }

    // ---- 8.2 fields ----

    @Test
    @DisplayName("8.2 uppercase field name: stream error PROTOCOL_ERROR")
    void s8_2_uppercaseFieldName() throws Exception {
        assertMalformed(get("/").literal("X-Upper", "1"));
    }

    @ParameterizedTest(name = "8.2.1 invalid field [{0}]: stream error PROTOCOL_ERROR")
    @CsvSource(delimiter = '|', value = {
        "name with a space|'x y'|1",
        "name with a colon|'x:y'|1",
        "empty name|''|1",
        "value with LF|x-a|'a\nb'",
        "value with CR|x-a|'a\rb'",
        "value with NUL|x-a|'a\u0000b'",
        "value with a leading space|x-a|' a'",
        "value with a trailing tab|x-a|'a\t'"})
    void s8_2_1_invalidField(String what, String name, String value) throws Exception {
        assertMalformed(get("/").literal(name, value));
    }

    @ParameterizedTest(name = "8.2.2 connection-specific field {0}: stream error PROTOCOL_ERROR")
    @ValueSource(strings = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
    void s8_2_2_connectionSpecificField(String name) throws Exception {
        assertMalformed(get("/").literal(name, "x"));
    }

    @Test
    @DisplayName("8.2.2 TE other than \"trailers\": stream error PROTOCOL_ERROR")
    void s8_2_2_teOtherThanTrailers() throws Exception {
        assertMalformed(get("/").literal("te", "trailers, deflate"));
    }

    @Test
    @DisplayName("8.2.2 TE: trailers: accepted")
    void s8_2_2_teTrailersAccepted() throws Exception {
        H2FrameClient client = connect();
        assertOk(client.headers(1, END_HEADERS | END_STREAM, get("/").literal("te", "trailers")), 1);
    }

    // ---- 8.3 pseudo-header fields ----

    @Test
    @DisplayName("8.3 unknown pseudo-header field: stream error PROTOCOL_ERROR")
    void s8_3_unknownPseudoHeader() throws Exception {
        assertMalformed(get("/").literal(":foo", "bar"));
    }

    @Test
    @DisplayName("8.3 response pseudo-header field (:status) in a request: stream error PROTOCOL_ERROR")
    void s8_3_responsePseudoHeaderInRequest() throws Exception {
        assertMalformed(get("/").literal(":status", "200"));
    }

    @Test
    @DisplayName("8.3 pseudo-header field in trailers: stream error PROTOCOL_ERROR")
    void s8_3_pseudoHeaderInTrailers() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS, HpackBlock.request("POST", "/")).data(1, 0, new byte[4])
                .headers(1, END_HEADERS | END_STREAM, head(":method", "POST"));
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("8.3 pseudo-header field after a regular field: stream error PROTOCOL_ERROR")
    void s8_3_pseudoHeaderAfterRegularField() throws Exception {
        assertMalformed(head(":method", "GET", ":scheme", "http", "x-a", "1", ":path", "/"));
    }

    @ParameterizedTest(name = "8.3.1 duplicated {0}: stream error PROTOCOL_ERROR")
    @CsvSource({":method,GET", ":scheme,http", ":path,/", ":authority,localhost"})
    void s8_3_1_duplicatedPseudoHeader(String name, String value) throws Exception {
        assertMalformed(get("/").literal(name, value));
    }

    @ParameterizedTest(name = "8.3.1 missing {0}: stream error PROTOCOL_ERROR")
    @ValueSource(strings = {":method", ":scheme", ":path"})
    void s8_3_1_missingPseudoHeader(String missing) throws Exception {
        HpackBlock block = new HpackBlock();
        for (String[] field : new String[][] {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "localhost"}}) {
            if (!field[0].equals(missing)) {
                block.literal(field[0], field[1]);
            }
        }
        assertMalformed(block);
    }

    @Test
    @DisplayName("8.3.1 empty :path: stream error PROTOCOL_ERROR")
    void s8_3_1_emptyPath() throws Exception {
        assertMalformed(head(":method", "GET", ":scheme", "http", ":path", "", ":authority", "localhost"));
    }

    @Test
    @DisplayName("8.3.1 OPTIONS with :path *: accepted")
    void s8_3_1_asteriskPathForOptions() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, head(":method", "OPTIONS", ":scheme", "http", ":path", "*", ":authority", "localhost"));
        assertThat(assertOk(client, 1).text()).startsWith("OPTIONS * ");
    }

    @Test
    @DisplayName("8.3.1 host without :authority: accepted, host used")
    void s8_3_1_hostWithoutAuthority() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, head(":method", "GET", ":scheme", "http", ":path", "/", "host", "example.com:8080"));
        assertThat(assertOk(client, 1).text()).contains("host=example.com ");
    }

    @Test
    @DisplayName("8.3.1 host differing from :authority: stream error PROTOCOL_ERROR")
    void s8_3_1_hostDiffersFromAuthority() throws Exception {
        assertMalformed(get("/").literal("host", "other.example"));
    }

    // ---- 8.5 CONNECT ----

    @Test
    @DisplayName("8.5 CONNECT with :method and :authority only: passed to the handler")
    void s8_5_connectAccepted() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, head(":method", "CONNECT", ":authority", "example.com:443"));
        assertThat(assertOk(client, 1).text()).startsWith("CONNECT example.com:443 host=example.com ");
    }

    @ParameterizedTest(name = "8.5 CONNECT {0}: stream error PROTOCOL_ERROR")
    @CsvSource({"with :scheme,:scheme,https", "with :path,:path,/", "without :authority,,"})
    void s8_5_malformedConnect(String what, String name, String value) throws Exception {
        HpackBlock block = head(":method", "CONNECT");
        if (name != null) {
            block.literal(":authority", "example.com:443").literal(name, value);
        }
        assertMalformed(block);
    }

    // ---- RFC 7541 HPACK ----

    @Test
    @DisplayName("HPACK 7541-C.4 Huffman-coded request, then one using the dynamic table: both decoded")
    void hpack_huffmanAndDynamicTable() throws Exception {
        H2FrameClient client = connect();
        // RFC 7541 C.4.1 and C.4.2: :authority www.example.com Huffman coded and added to the table,
        // then indexed (62) beside a Huffman-coded cache-control.
        client.headers(1, END_HEADERS | END_STREAM, new HpackBlock().raw(0x82, 0x86, 0x84, 0x41, 0x8c, 0xf1, 0xe3, 0xc2,
                0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff));
        assertThat(assertOk(client, 1).text()).contains("host=www.example.com ");
        client.headers(3, END_HEADERS | END_STREAM, new HpackBlock().raw(0x82, 0x86, 0x84, 0xbe, 0x58, 0x86, 0xa8, 0xeb,
                0x10, 0x64, 0x9c, 0xbf));
        assertThat(assertOk(client, 3).text()).contains("host=www.example.com ");
    }

    @Test
    @DisplayName("HPACK 7541-6.1 indexed field with index 0: connection error COMPRESSION_ERROR")
    void hpack_indexZero() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, get("/").indexed(0));
        assertConnectionError(client, COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("HPACK 7541-2.3.3 indexed field past the tables: connection error COMPRESSION_ERROR")
    void hpack_indexPastTables() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, get("/").indexed(70));
        assertConnectionError(client, COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("HPACK 7541-2.3.3 literal field whose name index is past the tables: connection error COMPRESSION_ERROR")
    void hpack_nameIndexPastTables() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, get("/").literalIndexedName(70, "x"));
        assertConnectionError(client, COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("HPACK 7541-6.3 dynamic table size update above SETTINGS_HEADER_TABLE_SIZE: connection error COMPRESSION_ERROR")
    void hpack_tableSizeUpdateAboveSetting() throws Exception {
        H2FrameClient client = connect();
        client.headers(1, END_HEADERS | END_STREAM, new HpackBlock().tableSizeUpdate(4097).append(get("/")));
        assertConnectionError(client, COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("HPACK 7541-6.3 dynamic table size update within the setting, at the start: accepted")
    void hpack_tableSizeUpdateWithinSetting() throws Exception {
        H2FrameClient client = connect();
        assertOk(client.headers(1, END_HEADERS | END_STREAM, new HpackBlock().tableSizeUpdate(0).append(get("/"))), 1);
    }

    @ParameterizedTest(name = "HPACK 7541-5.2 Huffman string {0}: connection error COMPRESSION_ERROR")
    @CsvSource({"'with padding longer than 7 bits',1,255,0,0,0", "'padded with zeros',1,24,0,0,0",
        "'containing EOS',4,255,255,255,252"})
    void hpack_invalidHuffman(String what, int length, int b0, int b1, int b2, int b3) throws Exception {
        H2FrameClient client = connect();
        HpackBlock block = get("/").raw(0x00, 0x03, 'x', '-', 'h', 0x80 | length);
        int[] bytes = {b0, b1, b2, b3};
        for (int i = 0; i < length; i++) {
            block.raw(bytes[i]);
        }
        client.headers(1, END_HEADERS | END_STREAM, block);
        assertConnectionError(client, COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("HPACK 7541-5.2 string length of 2^28 octets: connection error COMPRESSION_ERROR")
    void hpack_hugeStringLength() throws Exception {
        H2FrameClient client = connect();
        // a literal name of length 2^28 (7-bit prefix integer), then nothing
        client.headers(1, END_HEADERS | END_STREAM, get("/").raw(0x00, 0x7f, 0x81, 0xff, 0xff, 0x7f));
        assertConnectionError(client, COMPRESSION_ERROR);
    }

    /**
     * Between SETTINGS_MAX_HEADER_LIST_SIZE (maxHeadSize, 8 KiB) and Netty's GOAWAY bound (a
     * quarter more): Netty answers 431 and then resets the stream (§8.1.1 allows a response
     * before the reset).
     */
    @Test
    @DisplayName("10.5.1 field section over SETTINGS_MAX_HEADER_LIST_SIZE, over CONTINUATION frames: 431 then RST_STREAM(PROTOCOL_ERROR)")
    void s10_5_1_headerListOverLimit() throws Exception {
        H2FrameClient client = connect();
        sendSplitBlock(client, get("/").literal("x-a", "v".repeat(4500)).literal("x-b", "v".repeat(4500)));
        assertThat(client.flush().readResponse(1).status()).isEqualTo("431");
        assertStreamError(client, 1, PROTOCOL_ERROR);
    }

    /**
     * Far past the limit Netty stops decoding and ends the connection (RFC 9113 §10.5.1 lets an
     * endpoint close rather than process a block it will not handle); PROTOCOL_ERROR is its code.
     */
    @Test
    @DisplayName("10.5.1 field section far over SETTINGS_MAX_HEADER_LIST_SIZE: connection error PROTOCOL_ERROR")
    void s10_5_1_headerListFarOverLimit() throws Exception {
        H2FrameClient client = connect();
        sendSplitBlock(client, get("/").literal("x-a", "v".repeat(4500)).literal("x-b", "v".repeat(4500))
                .literal("x-c", "v".repeat(4500)));
        assertConnectionError(client, PROTOCOL_ERROR);
    }

    /** Stream 1, END_STREAM: HEADERS with the first 6000 octets, a CONTINUATION with the rest. */
    private static void sendSplitBlock(H2FrameClient client, HpackBlock block) {
        byte[] bytes = block.bytes();
        client.frame(HEADERS, END_STREAM, 1, Arrays.copyOf(bytes, 6000))
                .frame(H2FrameClient.CONTINUATION, END_HEADERS, 1, Arrays.copyOfRange(bytes, 6000, bytes.length));
    }
}
