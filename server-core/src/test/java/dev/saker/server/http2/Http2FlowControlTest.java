package dev.saker.server.http2;

import static dev.saker.server.http2.H2FrameClient.DATA;
import static dev.saker.server.http2.H2FrameClient.END_HEADERS;
import static dev.saker.server.http2.H2FrameClient.END_STREAM;
import static dev.saker.server.http2.H2FrameClient.HEADERS;
import static dev.saker.server.http2.H2FrameClient.PING;
import static dev.saker.server.http2.H2FrameClient.RST_STREAM;
import static dev.saker.server.http2.H2FrameClient.SETTINGS_INITIAL_WINDOW_SIZE;
import static dev.saker.server.http2.H2FrameClient.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flow control end to end, with the raw frame client: a handler that does not read holds the
 * client's window back, a writer waits on the stream's window up to the write timeout, a reset
 * wakes a blocked writer, and a stalled stream does not hold up the connection's other streams.
 */
class Http2FlowControlTest {

    private static final int DEFAULT_WINDOW = 65_535;
    private static final int CANCEL = 0x8;

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(UnaryOperator<ServerConfig.Builder> settings, HttpHandler handler) {
        server = SakerServer.create(settings.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true))
                .build(), handler).start();
    }

    /** Reads frames until the ACK of the PING with {@code data}; counts the WINDOW_UPDATEs seen on the way. */
    private static int windowUpdatesUntilPingAck(H2FrameClient client, long data) throws IOException {
        client.ping(data).flush();
        int updates = 0;
        H2FrameClient.Frame frame;
        while ((frame = client.read()) != null) {
            if (frame.type() == WINDOW_UPDATE) {
                updates++;
            } else if (frame.type() == PING && (frame.flags() & 0x1) != 0) {
                return updates;
            }
        }
        throw new IOException("connection closed before the PING ACK");
    }

    @Test
    void handlerThatDoesNotReadHoldsTheClientWindowBack() throws Exception {
        CountDownLatch mayRead = new CountDownLatch(1);
        CompletableFuture<Integer> received = new CompletableFuture<>();
        start(b -> b, ex -> {
            mayRead.await(10, TimeUnit.SECONDS);
            byte[] all = ex.requestBody().asInputStream().readAllBytes();
            received.complete(all.length);
            ex.send("read " + all.length);
        });
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.headers(1, END_HEADERS);
            // The whole initial window of the stream (and of the connection), in four frames.
            byte[] chunk = new byte[16_384];
            for (int sent = 0; sent < DEFAULT_WINDOW; sent += chunk.length) {
                int n = Math.min(chunk.length, DEFAULT_WINDOW - sent);
                client.frame(DATA, 0, 1, n == chunk.length ? chunk : new byte[n]);
            }
            client.flush();
            assertThat(windowUpdatesUntilPingAck(client, 1)).as("window updates while the handler does not read").isZero();

            mayRead.countDown();
            // Once read, the window comes back: the client may send more, here the end of the body.
            int updates = 0;
            H2FrameClient.Frame frame;
            while (updates == 0 && (frame = client.read()) != null) {
                if (frame.type() == WINDOW_UPDATE && frame.streamId() == 1) {
                    updates++;
                }
            }
            assertThat(updates).as("a WINDOW_UPDATE for the stream once read").isEqualTo(1);
            client.frame(DATA, END_STREAM, 1, new byte[10]).flush();
            assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(DEFAULT_WINDOW + 10);
        }
    }

    @Test
    void writerWaitsOnTheStreamWindowUpToTheWriteTimeout() throws Exception {
        CompletableFuture<Throwable> writeFailure = new CompletableFuture<>();
        AtomicInteger written = new AtomicInteger();
        start(b -> b.writeTimeout(Duration.ofMillis(300)), ex -> {
            byte[] chunk = new byte[4096];
            try (OutputStream out = ex.responseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                    out.flush();
                    written.addAndGet(chunk.length);
                }
                writeFailure.complete(null);
            } catch (IOException e) {
                writeFailure.complete(e);
            }
        });
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.settings(SETTINGS_INITIAL_WINDOW_SIZE, 8192);
            client.headers(1, END_HEADERS | END_STREAM).flush();
            int dataBytes = 0;
            H2FrameClient.Frame frame;
            H2FrameClient.Frame reset = null;
            while (reset == null && (frame = client.read()) != null) {
                if (frame.type() == DATA) {
                    dataBytes += frame.payload().length;
                } else if (frame.type() == RST_STREAM) {
                    reset = frame;
                }
            }
            assertThat(dataBytes).as("never more DATA than the stream's window").isLessThanOrEqualTo(8192);
            assertThat(reset).as("the stream is reset at the write timeout").isNotNull();
            assertThat(reset.streamId()).isEqualTo(1);
            assertThat(writeFailure.get(10, TimeUnit.SECONDS)).as("the blocked write fails").isInstanceOf(IOException.class);
            assertThat(written.get()).isLessThan(64 * 4096);
            // The connection serves on.
            assertThat(windowUpdatesUntilPingAck(client, 2)).isGreaterThanOrEqualTo(0);
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
    }

    @Test
    void clientResetWakesABlockedWriter() throws Exception {
        CompletableFuture<Throwable> writeFailure = new CompletableFuture<>();
        start(b -> b.writeTimeout(Duration.ofSeconds(60)), ex -> {
            try (OutputStream out = ex.responseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(new byte[4096]);
                    out.flush();
                }
                writeFailure.complete(null);
            } catch (IOException e) {
                writeFailure.complete(e);
            }
        });
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.settings(SETTINGS_INITIAL_WINDOW_SIZE, 4096);
            client.headers(1, END_HEADERS | END_STREAM).flush();
            H2FrameClient.Frame frame;
            while ((frame = client.read()) != null && frame.type() != HEADERS) {
                // SETTINGS and its ACK come first
            }
            assertThat(frame).as("the response head").isNotNull();
            client.rstStream(1, CANCEL).flush();
            assertThat(writeFailure.get(10, TimeUnit.SECONDS)).as("the reset wakes the writer with an IOException")
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void stalledStreamDoesNotHoldUpTheOthers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch stalledWriting = new CountDownLatch(1);
        CompletableFuture<Throwable> stalled = new CompletableFuture<>();
        start(b -> b.writeTimeout(Duration.ofSeconds(60)), ex -> {
            if (calls.getAndIncrement() == 0) {
                try (OutputStream out = ex.responseBody()) {
                    out.write(new byte[4096]);
                    out.flush();
                    stalledWriting.countDown();
                    for (int i = 0; i < 64; i++) {
                        out.write(new byte[4096]);
                        out.flush();
                    }
                    stalled.complete(null);
                } catch (IOException e) {
                    stalled.complete(e);
                }
            } else {
                ex.send("fine");
            }
        });
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            // Every stream's window is 4 KiB; stream 1 wants 260 KiB and gets no WINDOW_UPDATE.
            client.settings(SETTINGS_INITIAL_WINDOW_SIZE, 4096);
            client.headers(1, END_HEADERS | END_STREAM).flush();
            assertThat(stalledWriting.await(10, TimeUnit.SECONDS)).isTrue();
            for (int id = 3; id <= 11; id += 2) {
                client.headers(id, END_HEADERS | END_STREAM);
            }
            client.flush();
            int ended = 0;
            H2FrameClient.Frame frame;
            while (ended < 5 && (frame = client.read()) != null) {
                if (frame.streamId() > 1 && (frame.flags() & END_STREAM) != 0 && (frame.type() == DATA || frame.type() == HEADERS)) {
                    ended++;
                }
            }
            assertThat(ended).as("the other streams are answered while stream 1 waits").isEqualTo(5);
            assertThat(stalled).as("stream 1 still waits on its window").isNotDone();
            client.rstStream(1, CANCEL).flush();
            assertThat(stalled.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        }
    }
}
