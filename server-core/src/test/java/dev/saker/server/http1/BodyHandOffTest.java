package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Request body bytes reach a blocking reader in one hand-off per read batch, however many chunks
 * they arrived in: 1 MiB sent as one-byte chunks costs a few hundred hand-offs, not a million.
 */
class BodyHandOffTest {

    private static final int BODY = 1024 * 1024;

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start() {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.WORKER_POOL).maxRequestBodySize(-1).build(), ex -> {
                    CRC32 crc = new CRC32();
                    long n = 0;
                    byte[] buf = new byte[8192];
                    try (InputStream in = ex.requestBody().asInputStream()) {
                        int r;
                        while ((r = in.read(buf)) > 0) {
                            crc.update(buf, 0, r);
                            n += r;
                        }
                    }
                    ex.send(n + " " + Long.toHexString(crc.getValue()));
                }).start();
        return server.port();
    }

    private static byte[] pattern() {
        byte[] body = new byte[BODY];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7 + i / 251);
        }
        return body;
    }

    private static String expected(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return body.length + " " + Long.toHexString(crc.getValue());
    }

    @Test
    void oneMebibyteOfOneByteChunksArrivesIntactInFewHandOffs() throws Exception {
        int port = start();
        byte[] body = pattern();
        ByteArrayOutputStream wire = new ByteArrayOutputStream(BODY * 6 + 16);
        for (byte b : body) {
            wire.write('1');
            wire.write('\r');
            wire.write('\n');
            wire.write(b);
            wire.write('\r');
            wire.write('\n');
        }
        wire.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] encoded = wire.toByteArray();
        try (RawClient client = new RawClient(port, 30_000)) {
            client.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            OutputStream out = client.socket().getOutputStream();
            for (int off = 0; off < encoded.length; off += 65536) {
                out.write(encoded, off, Math.min(65536, encoded.length - off));
            }
            out.flush();
            RawClient.Response response = client.read();
            assertThat(response.bodyText()).isEqualTo(expected(body));
        }
        long handOffs = server.stats().bodyHandOffs();
        System.out.printf("1 MiB in %d one-byte chunks (%d bytes on the wire): %d hand-offs%n", BODY, encoded.length,
                handOffs);
        // One per read batch at most: a batch is at least a few KiB of input here (reads grow to 64 KiB).
        assertThat(handOffs).isPositive().isLessThanOrEqualTo(encoded.length / 2048);
    }

    @Test
    void aBodyWithALengthIsHandedOverInLargePiecesToo() throws Exception {
        int port = start();
        byte[] body = pattern();
        try (RawClient client = new RawClient(port, 30_000)) {
            client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: " + BODY + "\r\n\r\n");
            client.send(body);
            assertThat(client.read().bodyText()).isEqualTo(expected(body));
        }
        long handOffs = server.stats().bodyHandOffs();
        System.out.printf("1 MiB with a Content-Length: %d hand-offs%n", handOffs);
        assertThat(handOffs).isPositive().isLessThanOrEqualTo(BODY / 2048);
    }
}
