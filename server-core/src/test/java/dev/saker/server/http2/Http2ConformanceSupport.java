package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * What the RFC 9113 conformance classes share: an engine server with HTTP/2 on, raw frame clients
 * past the connection start, and the three outcomes a case asserts (h2spec's model): a connection
 * error (GOAWAY with the code, then the close), a stream error (RST_STREAM with the code on that
 * stream, and the connection still answers a PING), or nothing (the connection still answers).
 * <p>
 * The handler: {@code /hold} waits (up to 10 s) until the test ends, keeping its stream open on
 * the server's side; {@code /big?n=N} answers N bytes; anything else reads the whole body and
 * answers {@code METHOD target host=H body=N trailers=[names]}.
 */
abstract class Http2ConformanceSupport {

    static final int NO_ERROR = 0x0;
    static final int PROTOCOL_ERROR = 0x1;
    static final int FLOW_CONTROL_ERROR = 0x3;
    static final int STREAM_CLOSED = 0x5;
    static final int FRAME_SIZE_ERROR = 0x6;
    static final int REFUSED_STREAM = 0x7;
    static final int COMPRESSION_ERROR = 0x9;

    SakerServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<H2FrameClient> clients = new ArrayList<>();

    @AfterEach
    void stopServer() throws IOException {
        release.countDown();
        for (H2FrameClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    void start(UnaryOperator<ServerConfig.Builder> config) {
        server = SakerServer.create(config.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true))
                .build(), this::handle).start();
    }

    private void handle(HttpExchange ex) throws Exception {
        if (ex.path().equals("/hold")) {
            release.await(10, TimeUnit.SECONDS);
            ex.send("held");
            return;
        }
        if (ex.path().equals("/big")) {
            byte[] body = new byte[Integer.parseInt(ex.queryParameter("n"))];
            Arrays.fill(body, (byte) 'x');
            ex.send(body);
            return;
        }
        int length = ex.requestBody().asInputStream().readAllBytes().length;
        List<String> trailers = new ArrayList<>(ex.requestBody().trailers().names());
        ex.send(ex.method() + " " + ex.rawTarget() + " host=" + ex.host() + " body=" + length + " trailers=" + trailers);
    }

    /** Lets every {@code /hold} handler answer now. */
    void stopHolding() {
        release.countDown();
    }

    /** A client past the connection start (SETTINGS both ways, acknowledged); starts a default server if none. */
    H2FrameClient connect() throws IOException {
        H2FrameClient client = connectWithoutHandshake();
        client.handshake();
        return client;
    }

    /** A client with the preface and an empty SETTINGS queued, nothing sent yet. */
    H2FrameClient connectWithoutHandshake() throws IOException {
        if (server == null) {
            start(b -> b);
        }
        return register(new H2FrameClient(server.port()));
    }

    H2FrameClient register(H2FrameClient client) {
        clients.add(client);
        return client;
    }

    /** Flushes, then expects GOAWAY with {@code code} and the close (EOF after the GOAWAY is the only way out). */
    static void assertConnectionError(H2FrameClient client, int code) throws IOException {
        client.flush();
        H2FrameClient.Frame goAway = client.readUntilGoAway();
        assertThat(goAway).as("a GOAWAY before the close").isNotNull();
        assertThat(goAway.errorCode()).as("GOAWAY error code").isEqualTo(code);
        assertThat(client.closedByServer()).as("connection closed after the GOAWAY").isTrue();
    }

    /** Flushes, then expects RST_STREAM with {@code code} on {@code streamId}, and the connection still alive. */
    static void assertStreamError(H2FrameClient client, int streamId, int code) throws IOException {
        client.flush();
        H2FrameClient.Frame frame;
        while ((frame = client.read()) != null) {
            if (frame.type() == H2FrameClient.GOAWAY) {
                fail("connection error %d instead of a stream error on stream %d", frame.errorCode(), streamId);
            }
            if (frame.streamId() == streamId && frame.headers() != null && frame.headers().status() != null) {
                fail("stream %d answered with status %s instead of a stream error", streamId, frame.headers().status());
            }
            if (frame.is(H2FrameClient.RST_STREAM, streamId)) {
                assertThat(frame.errorCode()).as("RST_STREAM error code").isEqualTo(code);
                assertAlive(client);
                return;
            }
        }
        fail("connection closed instead of a stream error on stream %d", streamId);
    }

    /**
     * Flushes and sends a PING: its ACK, with the same payload, must come before any RST_STREAM,
     * GOAWAY or the close (other frames are skipped).
     */
    static void assertAlive(H2FrameClient client) throws IOException {
        long data = ThreadLocalRandom.current().nextLong();
        client.ping(data).flush();
        H2FrameClient.Frame frame;
        while ((frame = client.read()) != null) {
            assertThat(frame.type()).as("frame before the PING ACK (error %s)",
                    frame.type() == H2FrameClient.RST_STREAM || frame.type() == H2FrameClient.GOAWAY ? frame.errorCode() : "-")
                    .isNotIn(H2FrameClient.RST_STREAM, H2FrameClient.GOAWAY);
            if (frame.type() == H2FrameClient.PING) {
                assertThat(frame.hasFlag(H2FrameClient.ACK)).as("PING answered with ACK").isTrue();
                assertThat(ByteBuffer.wrap(frame.payload()).getLong()).as("PING ACK payload").isEqualTo(data);
                return;
            }
        }
        fail("connection closed instead of the PING ACK");
    }

    /** Flushes and reads the response on {@code streamId}, which must be a 200. */
    static H2FrameClient.Response assertOk(H2FrameClient client, int streamId) throws IOException {
        H2FrameClient.Response response = client.flush().readResponse(streamId);
        assertThat(response.status()).as("status").isEqualTo("200");
        return response;
    }

    /**
     * Reads DATA on {@code streamId} until at least {@code atLeast} octets came, then sends a PING
     * and counts what else arrives on the stream before its ACK: a server sending past the
     * flow-control window would show here. Fails on a reset or the end of the connection.
     *
     * @return the DATA octets received
     */
    static int receiveData(H2FrameClient client, int streamId, int atLeast) throws IOException {
        int received = 0;
        while (received < atLeast) {
            received += dataOctets(client.read(), streamId);
        }
        client.ping(0x0123_4567_89ab_cdefL).flush();
        while (true) {
            H2FrameClient.Frame frame = client.read();
            if (frame != null && frame.type() == H2FrameClient.PING) {
                return received;
            }
            received += dataOctets(frame, streamId);
        }
    }

    private static int dataOctets(H2FrameClient.Frame frame, int streamId) {
        assertThat(frame).as("connection open").isNotNull();
        assertThat(frame.type()).as("frame type").isNotIn(H2FrameClient.RST_STREAM, H2FrameClient.GOAWAY);
        return frame.is(H2FrameClient.DATA, streamId) ? frame.payload().length : 0;
    }

    /** The head of a valid GET. */
    static HpackBlock get(String path) {
        return HpackBlock.request("GET", path);
    }
}
