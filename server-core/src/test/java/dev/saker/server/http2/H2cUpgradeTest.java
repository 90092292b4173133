package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import dev.saker.server.tls.TlsConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * h2c by {@code Upgrade: h2c} (RFC 7540 §3.2) over loopback: the JDK client, raw bytes (the 101,
 * then frames on stream 1), and every case where the upgrade is ignored and HTTP/1.1 answers.
 */
class H2cUpgradeTest {

    /** SETTINGS payload: MAX_CONCURRENT_STREAMS 100, INITIAL_WINDOW_SIZE 65535 (what a client might send). */
    private static final String SETTINGS = base64Url(new byte[] {0, 3, 0, 0, 0, 100, 0, 4, 0, 0, (byte) 0xff, (byte) 0xff});
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int SETTINGS_FRAME = 0x4;
    private static final int GOAWAY = 0x7;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(Consumer<ServerConfig.Builder> settings) {
        ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true);
        settings.accept(config);
        server = SakerServer.create(config.build(), H2cUpgradeTest::handle).start();
    }

    /** Answers the protocol, method, path and query; a body is echoed with its size and CRC. */
    private static void handle(HttpExchange ex) throws Exception {
        byte[] body;
        try (InputStream in = ex.requestBody().asInputStream()) {
            body = in.readAllBytes();
        }
        String trailer = ex.requestBody().trailers().get("x-trailer");
        ex.send(ex.protocol() + " " + ex.method() + " " + ex.path() + " q=" + ex.queryParameter("q")
                + " upgrade=" + ex.requestHeaders().get("upgrade") + " host=" + ex.host()
                + " body=" + received(body) + (trailer == null ? "" : " trailer=" + trailer));
    }

    private static String received(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return body.length + "/" + crc.getValue();
    }

    private static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String upgradeHead(String method, String target, String extraFields) {
        return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: " + SETTINGS + "\r\n" + extraFields + "\r\n";
    }

    // ---------------------------------------------------------------- the JDK client

    @Test
    void jdkHttpClientUpgradesAndReusesTheConnection() throws Exception {
        start(b -> { });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + server.port();
        HttpResponse<String> first = client.send(HttpRequest.newBuilder(URI.create(base + "/a%20b?q=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.version()).isEqualTo(HttpClient.Version.HTTP_2);
        // The upgrade request itself is served as HTTP/2 (stream 1), without its connection fields.
        assertThat(first.body()).isEqualTo("HTTP/2.0 GET /a b q=1 upgrade=null host=127.0.0.1 body=0/0");

        byte[] small = payload(3000);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/p"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(small)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(post.body()).endsWith("body=" + received(small));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> more = client.send(HttpRequest.newBuilder(URI.create(base + "/m?q=" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(more.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(more.body()).startsWith("HTTP/2.0 GET /m q=" + i);
        }
        assertThat(server.stats().connectionsAccepted()).as("one connection, upgraded and reused").isEqualTo(1);
        assertThat(server.stats().requestsTotal()).isEqualTo(7);
        assertThat(server.stats().connectionsActive()).isEqualTo(1);
    }

    @Test
    void jdkHttpClientUpgradesWithAPostAsItsFirstRequest() throws Exception {
        start(b -> { });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
        byte[] small = payload(2000);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/p"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(small)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).isEqualTo("HTTP/2.0 POST /p q=null upgrade=null host=127.0.0.1 body=" + received(small));
        assertThat(post.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    // ---------------------------------------------------------------- raw bytes

    @Test
    void rawUpgradeAnswers101ThenServesStreamOneAndMoreStreams() throws Exception {
        start(b -> { });
        try (RawClient http = new RawClient(server.port())) {
            // The preface and SETTINGS go in the same write as the request: buffered behind it, none lost.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(upgradeHead("GET", "/raw?q=2", "").getBytes(StandardCharsets.ISO_8859_1));
            bytes.writeBytes(PREFACE);
            bytes.writeBytes(frame(SETTINGS_FRAME, 0, 0, new byte[0]));
            http.send(bytes.toByteArray());

            Frames h2 = new Frames(http);
            assertThat(h2.switchingProtocols()).isEqualTo(
                    "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
            Frame settings = h2.read();
            assertThat(settings.type()).as("the server preface first").isEqualTo(SETTINGS_FRAME);
            assertThat(settings.streamId()).isZero();

            Response one = h2.response(1);
            assertThat(one.headers().status().toString()).isEqualTo("200");
            assertThat(one.text()).isEqualTo("HTTP/2.0 GET /raw q=2 upgrade=null host=localhost body=0/0");

            // The connection is HTTP/2 now: stream 3 is an ordinary stream.
            Http2Headers get = new DefaultHttp2Headers().method("GET").scheme("http").path("/next?q=3").authority("localhost");
            http.send(headersFrame(3, get, true));
            Response three = h2.response(3);
            assertThat(three.text()).isEqualTo("HTTP/2.0 GET /next q=3 upgrade=null host=localhost body=0/0");
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().connectionsAccepted()).isEqualTo(1);
        assertThat(server.stats().connectionsClosed()).isEqualTo(1);
        assertThat(server.stats().requestsTotal()).isEqualTo(2);
        assertThat(server.stats().requestsActive()).isZero();
        assertThat(server.stats().http2().streamsActive()).isZero();
    }

    @Test
    void rawUpgradeWithALengthBodyAndWithAChunkedBody() throws Exception {
        start(b -> { });
        byte[] body = payload(20_000);
        try (RawClient http = new RawClient(server.port())) {
            http.send(upgradeHead("POST", "/len", "Content-Length: " + body.length + "\r\n"));
            // The body arrives later, in two pieces: the switch waits for all of it.
            http.send(java.util.Arrays.copyOfRange(body, 0, 7000));
            http.send(java.util.Arrays.copyOfRange(body, 7000, body.length));
            Frames h2 = new Frames(http);
            assertThat(h2.switchingProtocols()).startsWith("HTTP/1.1 101 ");
            http.send(PREFACE).send(frame(SETTINGS_FRAME, 0, 0, new byte[0]));
            assertThat(h2.response(1).text()).isEqualTo(
                    "HTTP/2.0 POST /len q=null upgrade=null host=localhost body=" + received(body));
        }
        try (RawClient http = new RawClient(server.port())) {
            http.send(upgradeHead("POST", "/chunked", "Transfer-Encoding: chunked\r\n")
                    + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t1\r\n\r\n");
            Frames h2 = new Frames(http);
            assertThat(h2.switchingProtocols()).startsWith("HTTP/1.1 101 ");
            http.send(PREFACE).send(frame(SETTINGS_FRAME, 0, 0, new byte[0]));
            assertThat(h2.response(1).text()).isEqualTo("HTTP/2.0 POST /chunked q=null upgrade=null host=localhost body="
                    + received("hello world".getBytes(StandardCharsets.US_ASCII)) + " trailer=t1");
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().requestsTotal()).isEqualTo(2);
    }

    @Test
    void aWrongPrefaceAfterTheSwitchIsAConnectionError() throws Exception {
        start(b -> { });
        try (RawClient http = new RawClient(server.port())) {
            http.send(upgradeHead("GET", "/x", "") + "GET /second HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Frames h2 = new Frames(http);
            assertThat(h2.switchingProtocols()).startsWith("HTTP/1.1 101 ");
            Frame goAway = null;
            for (Frame f; (f = h2.read()) != null; ) {
                if (f.type() == GOAWAY) {
                    goAway = f;
                }
            }
            assertThat(goAway).as("GOAWAY before the close").isNotNull();
            int code = ((goAway.payload()[4] & 0xff) << 24) | ((goAway.payload()[5] & 0xff) << 16)
                    | ((goAway.payload()[6] & 0xff) << 8) | (goAway.payload()[7] & 0xff);
            assertThat(code).as("PROTOCOL_ERROR").isEqualTo(0x1);
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0
                && server.stats().requestsActive() == 0)).isTrue();
        assertThat(server.stats().connectionsClosed()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- ignored: served as HTTP/1.1

    @Test
    void aBodyOverTheBoundIsServedAsHttp11() throws Exception {
        start(b -> b.http2MaxUpgradeBodySize(1024));
        byte[] body = payload(2000);
        try (RawClient http = new RawClient(server.port())) {
            http.send(upgradeHead("POST", "/big", "Content-Length: " + body.length + "\r\n")).send(body);
            RawClient.Response declared = http.read();
            assertThat(declared.status()).isEqualTo(200);
            assertThat(declared.bodyText()).isEqualTo(
                    "HTTP/1.1 POST /big q=null upgrade=h2c host=localhost body=" + received(body));

            // Chunked, past the bound only after some chunks: scanned, then handed back whole to HTTP/1.1.
            StringBuilder chunked = new StringBuilder(upgradeHead("POST", "/big2", "Transfer-Encoding: chunked\r\n"));
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < 6; i++) {
                String piece = ("chunk" + i).repeat(40);
                sent.writeBytes(piece.getBytes(StandardCharsets.US_ASCII));
                chunked.append(Integer.toHexString(piece.length())).append("\r\n").append(piece).append("\r\n");
            }
            chunked.append("0\r\n\r\n");
            http.send(chunked.toString());
            RawClient.Response streamed = http.read();
            assertThat(streamed.bodyText()).isEqualTo(
                    "HTTP/1.1 POST /big2 q=null upgrade=h2c host=localhost body=" + received(sent.toByteArray()));
        }
        assertThat(server.stats().requestsTotal()).isEqualTo(2);
    }

    @Test
    void aMalformedOrIncompleteUpgradeIsServedAsHttp11() throws Exception {
        start(b -> { });
        String h2c = "Host: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n";
        String[] requests = {
            // no HTTP2-Settings
            "GET /a HTTP/1.1\r\n" + h2c + "\r\n",
            // HTTP2-Settings twice
            "GET /b HTTP/1.1\r\n" + h2c + "HTTP2-Settings: " + SETTINGS + "\r\nHTTP2-Settings: " + SETTINGS + "\r\n\r\n",
            // not base64url
            "GET /c HTTP/1.1\r\n" + h2c + "HTTP2-Settings: AAMA+/AAZA\r\n\r\n",
            // 4 bytes: not a multiple of 6
            "GET /d HTTP/1.1\r\n" + h2c + "HTTP2-Settings: " + base64Url(new byte[] {0, 3, 0, 0}) + "\r\n\r\n",
            // ENABLE_PUSH = 2
            "GET /e HTTP/1.1\r\n" + h2c + "HTTP2-Settings: " + base64Url(new byte[] {0, 2, 0, 0, 0, 2}) + "\r\n\r\n",
            // MAX_FRAME_SIZE below 16384
            "GET /f HTTP/1.1\r\n" + h2c + "HTTP2-Settings: " + base64Url(new byte[] {0, 5, 0, 0, 0x10, 0}) + "\r\n\r\n",
            // HTTP2-Settings not named in Connection
            "GET /g HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: " + SETTINGS + "\r\n\r\n",
            // another protocol
            "GET /h HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
            // HTTP/1.0 (RFC 9110 §7.8: Upgrade is ignored)
            "GET /i HTTP/1.0\r\n" + h2c + "HTTP2-Settings: " + SETTINGS + "\r\nConnection: keep-alive\r\n\r\n",
        };
        try (RawClient http = new RawClient(server.port())) {
            for (String request : requests) {
                http.send(request);
                RawClient.Response response = http.read();
                assertThat(response.status()).as(request).isEqualTo(200);
                assertThat(response.bodyText()).as(request).startsWith("HTTP/1.");
            }
        }
        assertThat(server.stats().requestsTotal()).isEqualTo(requests.length);
        assertThat(server.stats().connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void upgradeIsIgnoredWhenHttp2IsOff() throws Exception {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build(),
                H2cUpgradeTest::handle).start();
        try (RawClient http = new RawClient(server.port())) {
            http.send(upgradeHead("GET", "/off", ""));
            assertThat(http.read().bodyText()).isEqualTo("HTTP/1.1 GET /off q=null upgrade=h2c host=localhost body=0/0");
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> jdk = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/j")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(jdk.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void upgradeIsIgnoredOverTls() throws Exception {
        start(b -> b.tls(TlsConfig.builder(TestTls.material("server")).build()));
        try (var socket = TestTls.connect(TestTls.clientContext(), server.port(), null, "http/1.1");
                RawClient http = new RawClient(socket)) {
            http.send(upgradeHead("GET", "/tls", ""));
            RawClient.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("HTTP/1.1 GET /tls q=null upgrade=h2c host=localhost body=0/0");
        }
    }

    @Test
    void anUpgradeBodyThatStallsTimesOut() throws Exception {
        start(b -> b.bodyReadTimeout(Duration.ofMillis(300)));
        try (RawClient http = new RawClient(server.port())) {
            http.send(upgradeHead("POST", "/slow", "Content-Length: 100\r\n")).send(payload(10));
            RawClient.Response response = http.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(http.closedByServer(5_000)).isTrue();
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().timeouts(TimeoutKind.BODY_READ)).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.BODY_READ_TIMEOUT)).isEqualTo(1);
        assertThat(server.stats().requestsTotal()).isZero();
    }

    // ---------------------------------------------------------------- frames

    private static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(flags);
        out.write(streamId >>> 24);
        out.write(streamId >>> 16);
        out.write(streamId >>> 8);
        out.write(streamId);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] headersFrame(int streamId, Http2Headers headers, boolean endStream) throws Exception {
        ByteBuf block = Unpooled.buffer();
        try {
            new DefaultHttp2HeadersEncoder().encodeHeaders(streamId, headers, block);
            byte[] bytes = new byte[block.readableBytes()];
            block.readBytes(bytes);
            return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, bytes);
        } finally {
            block.release();
        }
    }

    private record Frame(int type, int flags, int streamId, byte[] payload) {
    }

    private record Response(Http2Headers headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Reads the 101 head byte by byte, then HTTP/2 frames, off the raw client's socket. */
    private static final class Frames {

        private final DataInputStream in;
        private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(true);

        Frames(RawClient client) throws IOException {
            in = new DataInputStream(client.socket().getInputStream());
        }

        String switchingProtocols() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                head.write(in.readUnsignedByte());
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        Frame read() throws IOException {
            try {
                int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int streamId = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                return new Frame(type, flags, streamId, payload);
            } catch (EOFException | SocketException closed) {
                return null;
            }
        }

        /** Skips other frames until stream {@code id}'s response is complete (HEADERS, DATA up to END_STREAM). */
        Response response(int id) throws Exception {
            Http2Headers headers = null;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (Frame f; (f = read()) != null; ) {
                if (f.streamId() != id) {
                    continue;
                }
                if (f.type() == HEADERS) {
                    ByteBuf block = Unpooled.wrappedBuffer(f.payload());
                    try {
                        headers = decoder.decodeHeaders(id, block);
                    } finally {
                        block.release();
                    }
                } else if (f.type() == DATA) {
                    body.writeBytes(f.payload());
                }
                if ((f.flags() & END_STREAM) != 0) {
                    return new Response(headers, body.toByteArray());
                }
            }
            throw new IOException("connection closed before stream " + id + " ended");
        }
    }
}
