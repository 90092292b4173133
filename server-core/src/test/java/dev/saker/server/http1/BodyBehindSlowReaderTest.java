package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Body bytes that arrive while the handler has not read them yet are chained, not copied into a
 * growing buffer; a pipelined request behind such a body is parsed from what the chain left. Here
 * the handler holds off reading until the whole pipeline was sent, so the loop takes several
 * reads behind unread body bytes.
 */
class BodyBehindSlowReaderTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void largeBodiesReadLateArriveIntactAndThePipelinedRequestsBehindThemToo() throws Exception {
        CountDownLatch sent = new CountDownLatch(1);
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.WORKER_POOL).maxRequestBodySize(-1).build(), ex -> {
                    assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
                    CRC32 crc = new CRC32();
                    long n = 0;
                    byte[] buf = new byte[1000];
                    try (InputStream in = ex.requestBody().asInputStream()) {
                        for (int r; (r = in.read(buf)) > 0; ) {
                            crc.update(buf, 0, r);
                            n += r;
                        }
                    }
                    ex.send(ex.path() + " " + n + " " + Long.toHexString(crc.getValue()));
                }).start();
        byte[] first = pattern(700_000, 3);
        byte[] second = pattern(90_000, 5);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(("POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: " + first.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        wire.write(first);
        // Chunked, in uneven chunks, so the chain's pieces and the chunk boundaries do not line up.
        wire.write("POST /two HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int off = 0; off < second.length; ) {
            int size = Math.min(second.length - off, 1 + (off % 9973));
            wire.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            wire.write(second, off, size);
            wire.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            off += size;
        }
        wire.write("0\r\n\r\nGET /three HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (RawClient client = new RawClient(server.port(), 20_000)) {
            Thread writer = new Thread(() -> {
                try {
                    client.send(wire.toByteArray());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            // Let the loop take several reads behind the unread first body before the handler reads.
            assertThat(dev.saker.server.testing.Poll.until(java.time.Duration.ofSeconds(10),
                    () -> server.stats().bytesReceived() > 300_000)).isTrue();
            sent.countDown();
            assertThat(client.read().bodyText()).isEqualTo("/one " + first.length + " " + crc(first));
            assertThat(client.read().bodyText()).isEqualTo("/two " + second.length + " " + crc(second));
            assertThat(client.read().bodyText()).isEqualTo("/three 0 0");
            writer.join(10_000);
        }
    }

    private static byte[] pattern(int size, int salt) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (i * salt + i / 253);
        }
        return body;
    }

    private static String crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return Long.toHexString(crc.getValue());
    }
}
