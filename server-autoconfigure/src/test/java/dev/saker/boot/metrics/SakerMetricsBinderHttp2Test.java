package dev.saker.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.Poll;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SakerMetricsBinderHttp2Test {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(UnaryOperator<ServerConfig.Builder> config) {
        server = SakerServer.create(config.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)).build(),
                ex -> ex.send("ok")).start();
        SakerMetricsBinder.bind(server, registry);
    }

    @Test
    void resetsAndGoAwaysAreCountedByRfcErrorName() throws Exception {
        start(b -> b.http2(true));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            frame(out, 0x4, 0, 0, new byte[0]);
            // GET / on stream 1 without END_STREAM (HPACK: static :method GET, :path /, :scheme http, :authority literal)
            byte[] block = {(byte) 0x82, (byte) 0x84, (byte) 0x86, 0x01, 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'};
            frame(out, 0x1, 0x4, 1, block);
            frame(out, 0x3, 0, 1, new byte[] {0, 0, 0, 0x8});
            // DATA on stream 0: a connection error, PROTOCOL_ERROR
            frame(out, 0x0, 0, 0, new byte[4]);
            socket.getOutputStream().write(out.toByteArray());
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // the server's frames until it closes
            }
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(registry.get("saker.http2.resets").tags("direction", "received", "code", "cancel").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("saker.http2.resets").tags("direction", "sent", "code", "cancel").functionCounter().count())
                .isZero();
        assertThat(registry.get("saker.http2.goaways").tag("code", "protocol_error").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("saker.http2.goaways").tag("code", "enhance_your_calm").functionCounter().count()).isZero();
        assertThat(registry.get("saker.http2.streams.active").gauge().value()).isZero();
        // one series per RFC 9113 code (and "unknown"), per direction
        assertThat(registry.get("saker.http2.resets").functionCounters()).hasSize(2 * 15);
        assertThat(registry.get("saker.http2.goaways").functionCounters()).hasSize(15);
    }

    @Test
    void aServerWithoutHttp2HasNoHttp2Meters() {
        start(b -> b);
        assertThat(registry.find("saker.http2.streams.active").gauge()).isNull();
        assertThat(registry.find("saker.http2.resets").functionCounters()).isEmpty();
        assertThat(registry.find("saker.http2.goaways").functionCounters()).isEmpty();
    }

    private static void frame(ByteArrayOutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(flags);
        out.write(new byte[] {(byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(payload);
    }
}
