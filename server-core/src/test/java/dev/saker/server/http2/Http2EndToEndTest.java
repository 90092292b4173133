package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import dev.saker.server.tls.TlsConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP/2 end to end over loopback: h2c with prior knowledge, h2 over TLS by ALPN, HTTP/1.1 beside them. */
class Http2EndToEndTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(TlsConfig tls) {
        ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2).http2(true);
        if (tls != null) {
            config.tls(tls);
        }
        server = SakerServer.create(config.build(), Http2EndToEndTest::handle).start();
    }

    /** GET echoes the request; POST reads the body and streams back its size, CRC and a large body. */
    private static void handle(HttpExchange ex) throws Exception {
        if (ex.method().equals("POST")) {
            byte[] body;
            try (InputStream in = ex.requestBody().asInputStream()) {
                body = in.readAllBytes();
            }
            CRC32 crc = new CRC32();
            crc.update(body);
            int repeat = ex.queryParameter("repeat") == null ? 0 : Integer.parseInt(ex.queryParameter("repeat"));
            ex.responseHeaders().set("X-Received", body.length + " " + crc.getValue());
            try (OutputStream out = ex.responseBody()) {
                for (int i = 0; i < repeat; i++) {
                    out.write(body);
                }
            }
            return;
        }
        ex.responseHeaders().set("X-Host", String.valueOf(ex.host()));
        ex.send(ex.method() + " " + ex.path() + " q=" + ex.queryParameter("q") + " " + ex.protocol()
                + (ex.sslSession() == null ? "" : " tls"));
    }

    private static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private static String received(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return body.length + " " + crc.getValue();
    }

    @Test
    void getAndPostOverH2cPriorKnowledge() throws Exception {
        start(null);
        try (H2Client client = new H2Client(server.port(), null)) {
            H2Client.Response get = client.get("/a%20b?q=1");
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.text()).isEqualTo("GET /a b q=1 HTTP/2.0");
            assertThat(get.headers().get("content-length").toString()).isEqualTo(String.valueOf(get.body().length));
            assertThat(get.headers().get("x-host").toString()).isEqualTo("localhost");
            assertThat(get.headers().get("date")).isNotNull();

            // Larger than the initial 64 KiB windows both ways: flow control must move it.
            byte[] body = payload(300_000);
            H2Client.Response post = client.request("POST", "/upload?repeat=2", body).get(20, TimeUnit.SECONDS);
            assertThat(post.status()).isEqualTo(200);
            assertThat(post.headers().get("x-received").toString()).isEqualTo(received(body));
            byte[] twice = new byte[body.length * 2];
            System.arraycopy(body, 0, twice, 0, body.length);
            System.arraycopy(body, 0, twice, body.length, body.length);
            assertThat(Arrays.equals(post.body(), twice)).isTrue();

            // A small streamed body is sent whole, with a length.
            H2Client.Response small = client.request("POST", "/upload?repeat=1", payload(10)).get(20, TimeUnit.SECONDS);
            assertThat(small.body()).isEqualTo(payload(10));
            assertThat(small.headers().get("content-length").toString()).isEqualTo("10");
        }
        assertThat(server.stats().requestsTotal()).isEqualTo(3);
        assertThat(server.stats().bytesReceived()).isGreaterThan(300_000);
        assertThat(server.stats().bytesSent()).isGreaterThan(600_000);
    }

    @Test
    void manyConcurrentStreamsOnOneConnection() throws Exception {
        start(null);
        try (H2Client client = new H2Client(server.port(), null)) {
            List<CompletableFuture<H2Client.Response>> gets = new ArrayList<>();
            List<CompletableFuture<H2Client.Response>> posts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                gets.add(client.request("GET", "/s?q=" + i, null));
                posts.add(client.request("POST", "/p?repeat=1", payload(20_000 + i)));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(gets.get(i).get(20, TimeUnit.SECONDS).text()).isEqualTo("GET /s q=" + i + " HTTP/2.0");
                H2Client.Response post = posts.get(i).get(20, TimeUnit.SECONDS);
                assertThat(post.body()).isEqualTo(payload(20_000 + i));
            }
            assertThat(client.isOpen()).isTrue();
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsClosed() == 1)).isTrue();
        assertThat(server.stats().connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void http11StillServedOnTheSamePort() throws Exception {
        start(null);
        try (RawClient http = new RawClient(server.port())) {
            // "P" then "O": begins like the preface, then differs; the held bytes must reach HTTP/1.1.
            http.send("PO");
            http.send("ST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
            RawClient.Response response = http.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("X-Received")).isEqualTo(received("abc".getBytes(StandardCharsets.US_ASCII)));
            http.send("GET /y?q=2 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(http.read().bodyText()).isEqualTo("GET /y q=2 HTTP/1.1");
        }
        try (H2Client client = new H2Client(server.port(), null)) {
            assertThat(client.get("/z").text()).isEqualTo("GET /z q=null HTTP/2.0");
        }
    }

    @Test
    void settingsAdvertiseTheConfiguredLimits() throws Exception {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true)
                .http2MaxConcurrentStreams(3).http2InitialWindowSize(1_000_000).http2MaxFrameSize(65_536).build(),
                ex -> ex.send(String.valueOf(ex.requestBody().asInputStream().readAllBytes().length))).start();
        try (H2Client client = new H2Client(server.port(), null)) {
            assertThat(client.get("/").text()).isEqualTo("0");
            // Read after a response: the server's SETTINGS came before it.
            assertThat(client.state().local().maxActiveStreams()).isEqualTo(3);
            assertThat(client.state().remote().flowController().initialWindowSize()).isEqualTo(1_000_000);
            assertThat(client.remoteMaxFrameSize()).isEqualTo(65_536);
            // The client now sends DATA frames of 64 KiB, four times the protocol's default: accepted.
            assertThat(client.request("POST", "/", new byte[200_000]).get(20, TimeUnit.SECONDS).text()).isEqualTo("200000");
        }
    }

    @Test
    void prefaceSplitAcrossReadsStillSelectsHttp2() throws Exception {
        start(null);
        try (RawClient raw = new RawClient(server.port())) {
            raw.send("PRI * HTTP/2.0\r\n");
            raw.send("\r\nSM\r\n\r\n");
            // The server's connection preface is a SETTINGS frame: 9-byte header, type 0x4, stream 0.
            String answer = raw.readAvailable(2_000);
            assertThat(answer.length()).isGreaterThanOrEqualTo(9);
            assertThat((int) answer.charAt(3)).isEqualTo(4);
            assertThat(answer.substring(5, 9)).isEqualTo("\0\0\0\0");
        }
    }

    @Test
    void h2OverTlsByAlpn() throws Exception {
        start(TlsConfig.builder(TestTls.material("server")).build());
        try (H2Client client = new H2Client(server.port(), TestTls.trusting("server"))) {
            assertThat(client.applicationProtocol()).isEqualTo("h2");
            assertThat(client.get("/t?q=x").text()).isEqualTo("GET /t q=x HTTP/2.0 tls");
            byte[] body = payload(100_000);
            H2Client.Response post = client.request("POST", "/u?repeat=1", body).get(20, TimeUnit.SECONDS);
            assertThat(post.headers().get("x-received").toString()).isEqualTo(received(body));
            assertThat(post.body()).isEqualTo(body);
        }
        // HTTP/1.1 clients still get HTTP/1.1 by ALPN.
        try (var socket = TestTls.connect(TestTls.clientContext(), server.port(), null, "http/1.1");
                RawClient http = new RawClient(socket)) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            http.send("GET /v HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(http.read().bodyText()).isEqualTo("GET /v q=null HTTP/1.1 tls");
        }
    }
}
