package dev.saker.server.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.accesslog.AccessLog;
import dev.saker.server.accesslog.LineCapture;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.connection.UpgradedProtocol;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import dev.saker.server.tls.TlsConfig;
import javax.net.ssl.SSLSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link HttpExchange#upgrade} over HTTP/1.1 and the raw {@link ByteStream} on loopback: the exact
 * {@code 101}, the bytes pipelined behind the request, both directions with backpressure, counting
 * and close reporting, the timeouts and the drain, and the refusals (HTTP/1.0, no {@code Upgrade},
 * a body, HTTP/2).
 */
class UpgradeTest {

    private static final String UPGRADE_REQUEST = "GET /up HTTP/1.1\r\nHost: localhost\r\nUpgrade: test\r\n"
            + "Connection: Upgrade\r\n\r\n";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private SakerServer server;
    private final LineCapture accessLines = new LineCapture();

    /** Threads of their own: the common pool may have one thread on a small machine. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(UnaryOperator<ServerConfig.Builder> settings, HttpHandler handler) {
        AccessLog log = AccessLog.builder().pattern("%r|%s").zone(ZoneOffset.UTC).output(accessLines).build();
        ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .serverHeader(null).accessLog(log);
        server = SakerServer.create(settings.apply(config).build(), handler).start();
    }

    /** A handler that switches to {@code protocol} with fixed fields, so the 101 is known byte for byte. */
    private static HttpHandler switching(UpgradedProtocol protocol) {
        return ex -> {
            ex.responseHeaders().set("Upgrade", "test");
            ex.responseHeaders().set("Date", "fixed");
            // Framing and connection fields the handler may set are not HTTP's any more after a 101.
            ex.responseHeaders().set("Content-Length", "5");
            ex.responseHeaders().set("Connection", "keep-alive");
            ex.upgrade(protocol);
        };
    }

    private static String read101(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in the 101: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Echoes every byte back, non-blocking, on the event loop. */
    private static final class LoopEcho implements Consumer<ByteStream> {
        final AtomicInteger closes = new AtomicInteger();
        final AtomicReference<String> end = new AtomicReference<>();

        @Override
        public void accept(ByteStream stream) {
            stream.onClose(closes::incrementAndGet);
            stream.read(new BodyConsumer() {
                @Override
                public void onData(ByteBuf data, boolean last) {
                    if (last) {
                        end.set("end");
                        stream.close();
                        return;
                    }
                    try {
                        stream.write(data.retain());
                    } catch (IOException e) {
                        end.set("write failed");
                        return;
                    }
                    stream.flush();
                    // Asks for more only once the client keeps up with the echo.
                    stream.onWritable(() -> stream.read(this));
                }

                @Override
                public void onError(IOException error) {
                    end.set("error");
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP", "WORKER_POOL"})
    void switchesWithAnExact101AndHandsOverTheBytesBehindTheRequest(DispatchMode mode) throws Exception {
        LoopEcho echo = new LoopEcho();
        start(b -> b.dispatchMode(mode), switching(new ByteStreamProtocol(echo, Duration.ZERO)));
        try (RawClient client = new RawClient(server.port())) {
            // The protocol's first bytes in the same packet as the request.
            client.send(UPGRADE_REQUEST + "early");
            InputStream in = client.socket().getInputStream();
            assertThat(read101(in)).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nDate: fixed\r\n"
                    + "Connection: Upgrade\r\n\r\n");
            assertThat(new String(in.readNBytes(5), StandardCharsets.ISO_8859_1)).isEqualTo("early");
            client.send("later bytes");
            assertThat(new String(in.readNBytes(11), StandardCharsets.ISO_8859_1)).isEqualTo("later bytes");
            client.shutdownOutput();
            // The client's end reaches the protocol, which closes.
            assertThat(in.read()).isEqualTo(-1);
        }
        ServerStats stats = server.stats();
        assertThat(Poll.until(WAIT, () -> echo.closes.get() == 1 && stats.connectionsActive() == 0)).isTrue();
        assertThat(echo.end.get()).isEqualTo("end");
        assertThat(stats.connectionsAccepted()).isEqualTo(1);
        assertThat(stats.connectionsClosed()).isEqualTo(1);
        assertThat(stats.requestsActive()).isZero();
        assertThat(stats.responses(1)).isEqualTo(1);
        assertThat(accessLines.next()).isEqualTo("GET /up HTTP/1.1|101");
        assertThat(echo.closes.get()).isEqualTo(1);
    }

    @Test
    void aTlsConnectionSwitchesAndKeepsItsTls() throws Exception {
        LoopEcho echo = new LoopEcho();
        start(b -> b.tls(TlsConfig.builder(TestTls.material("server")).build()),
                switching(new ByteStreamProtocol(echo, Duration.ZERO)));
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null, "http/1.1")) {
            OutputStream out = socket.getOutputStream();
            out.write((UPGRADE_REQUEST + "over tls").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(read101(in)).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            assertThat(new String(in.readNBytes(8), StandardCharsets.ISO_8859_1)).isEqualTo("over tls");
            out.write("more".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(new String(in.readNBytes(4), StandardCharsets.ISO_8859_1)).isEqualTo("more");
        }
        assertThat(Poll.until(WAIT, () -> echo.closes.get() == 1 && server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().connectionsClosed()).isEqualTo(1);
    }

    @Test
    void pipelinedBytesAfterTheSwitchAreNotLostWhenTheHandlerRunsOnAWorker() throws Exception {
        CountDownLatch handlerMayUpgrade = new CountDownLatch(1);
        LoopEcho echo = new LoopEcho();
        ByteStreamProtocol protocol = new ByteStreamProtocol(echo, Duration.ZERO);
        start(b -> b.dispatchMode(DispatchMode.WORKER_POOL), ex -> {
            handlerMayUpgrade.await(10, TimeUnit.SECONDS);
            ex.responseHeaders().set("Upgrade", "test");
            ex.upgrade(protocol);
        });
        try (RawClient client = new RawClient(server.port())) {
            client.send(UPGRADE_REQUEST + "one,");
            client.send("two,");
            // Both sends reached the HTTP/1.1 connection before the handler switched.
            assertThat(Poll.until(WAIT, () -> server.stats().bytesReceived() == UPGRADE_REQUEST.length() + 8)).isTrue();
            handlerMayUpgrade.countDown();
            InputStream in = client.socket().getInputStream();
            assertThat(read101(in)).startsWith("HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\n")
                    .endsWith("Connection: Upgrade\r\n\r\n").doesNotContain("Content-Length", "Transfer-Encoding");
            assertThat(new String(in.readNBytes(8), StandardCharsets.ISO_8859_1)).isEqualTo("one,two,");
        }
        assertThat(Poll.until(WAIT, () -> echo.closes.get() == 1)).isTrue();
        assertThat(Poll.until(WAIT, () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().connectionsClosed()).isEqualTo(1);
    }

    @Test
    void blockingStreamsOnAThreadMoveMegabytesBothWaysWithBackpressure() throws Exception {
        int size = 32 * 1024 * 1024;
        AtomicReference<ByteStream> opened = new AtomicReference<>();
        start(b -> b, switching(new ByteStreamProtocol(opened::set, Duration.ZERO)));
        try (RawClient client = new RawClient(channelSocket())) {
            client.send(UPGRADE_REQUEST);
            InputStream in = Channels.newInputStream(client.socket().getChannel());
            read101(in);
            assertThat(Poll.until(WAIT, () -> opened.get() != null)).isTrue();
            ByteStream stream = opened.get();

            // Output: the client does not read, so the writer must come to wait, far short of the total.
            AtomicLong written = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = stream.outputStream();
                    byte[] piece = pattern(8192, 0);
                    for (int sent = 0; sent < size; sent += piece.length) {
                        out.write(piece);
                        written.addAndGet(piece.length);
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            assertThat(Poll.until(WAIT, () -> !stream.writable())).isTrue();
            long stalledAt = written.get();
            assertThat(stalledAt).isLessThan(size);
            assertThat(writer).isNotDone();
            CRC32 crc = new CRC32();
            byte[] got = in.readNBytes(size);
            crc.update(got);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(crc.getValue()).isEqualTo(crcOf(size));

            // Input: nobody asked for it, so the engine reads nothing; the client's sends fill the
            // socket buffers until a non-blocking write takes no more, long before the total.
            long receivedBefore = server.stats().bytesReceived();
            SocketChannel raw = client.socket().getChannel();
            raw.configureBlocking(false);
            ByteBuffer all = ByteBuffer.wrap(repeat(size));
            while (raw.write(all) > 0) {
                // filling the buffers
            }
            assertThat(all.remaining()).isPositive();
            assertThat(server.stats().bytesReceived()).isEqualTo(receivedBefore);
            raw.configureBlocking(true);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    while (all.hasRemaining()) {
                        raw.write(all);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                CRC32 in2 = new CRC32();
                byte[] buf = new byte[16384];
                long total = 0;
                try (InputStream sin = stream.inputStream()) {
                    while (total < size) {
                        int n = sin.read(buf);
                        if (n < 0) {
                            break;
                        }
                        in2.update(buf, 0, n);
                        total += n;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return total == size ? in2.getValue() : -total;
            }, threads);
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(crcOf(size));
            sender.get(30, TimeUnit.SECONDS);
            stream.close();
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(Poll.until(WAIT, () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().connectionsClosed(CloseReason.SERVER)).isEqualTo(1);
    }

    /** A socket with a channel, so the test can switch it to non-blocking writes. */
    private java.net.Socket channelSocket() throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
        return channel.socket();
    }

    private static byte[] repeat(int size) {
        byte[] piece = pattern(8192, 0);
        byte[] all = new byte[size];
        for (int at = 0; at < size; at += piece.length) {
            System.arraycopy(piece, 0, all, at, piece.length);
        }
        return all;
    }

    private static byte[] pattern(int size, int offset) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ((offset + i) * 31 + 7);
        }
        return b;
    }

    private static long crcOf(int size) {
        CRC32 crc = new CRC32();
        byte[] piece = pattern(8192, 0);
        for (int sent = 0; sent < size; sent += piece.length) {
            crc.update(piece);
        }
        return crc.getValue();
    }

    @Test
    void anIdleUpgradedConnectionClosesAtItsIdleTimeout() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        start(b -> b, switching(new ByteStreamProtocol(s -> s.onClose(closes::incrementAndGet), Duration.ofMillis(200))));
        try (RawClient client = new RawClient(server.port())) {
            client.send(UPGRADE_REQUEST);
            read101(client.socket().getInputStream());
            assertThat(client.closedByServer(10_000)).isTrue();
        }
        assertThat(Poll.until(WAIT, () -> closes.get() == 1)).isTrue();
        assertThat(server.stats().timeouts(TimeoutKind.IDLE)).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aClientThatStopsReadingIsClosedAtTheWriteTimeout() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        AtomicLong written = new AtomicLong();
        Consumer<ByteStream> flood = new Consumer<>() {
            @Override
            public void accept(ByteStream stream) {
                // Non-blocking: writes while writable, then waits for room that never comes.
                while (stream.writable()) {
                    try {
                        stream.write(stream.alloc().buffer(65536).writeZero(65536));
                    } catch (IOException e) {
                        return;
                    }
                    stream.flush();
                    written.addAndGet(65536);
                }
                if (stream.isOpen()) {
                    stream.onWritable(() -> accept(stream));
                }
            }
        };
        Consumer<ByteStream> open = stream -> {
            stream.onClose(closes::incrementAndGet);
            flood.accept(stream);
        };
        start(b -> b.writeTimeout(Duration.ofMillis(300)), switching(new ByteStreamProtocol(open, Duration.ZERO)));
        try (RawClient client = new RawClient(server.port())) {
            client.send(UPGRADE_REQUEST);
            assertThat(Poll.until(WAIT, () -> closes.get() == 1)).as(() -> "closes " + closes + " written " + written + " " + server.stats()).isTrue();
        }
        assertThat(server.stats().timeouts(TimeoutKind.WRITE)).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.WRITE_TIMEOUT)).isEqualTo(1);
        assertThat(written.get()).isPositive();
    }

    @Test
    void aGracefulShutdownClosesAnUpgradedConnectionAtItsDeadline() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        start(b -> b, switching(new ByteStreamProtocol(s -> s.onClose(closes::incrementAndGet), Duration.ZERO)));
        try (RawClient client = new RawClient(server.port())) {
            client.send(UPGRADE_REQUEST);
            read101(client.socket().getInputStream());
            assertThat(server.shutdownGracefully(Duration.ofMillis(300)).idle()).isFalse();
            assertThat(client.closedByServer(10_000)).isTrue();
        }
        assertThat(closes.get()).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.SHUTDOWN)).isEqualTo(1);
    }

    @Test
    void aProtocolOfItsOwnGetsTheChannelTheCountAndTheRest() throws Exception {
        AtomicReference<String> rest = new AtomicReference<>();
        AtomicReference<Boolean> httpLeft = new AtomicReference<>();
        UpgradedProtocol own = (Channel channel, ServerRuntime runtime, LoopContext loop, ByteBuf bytes) -> {
            rest.set(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
            httpLeft.set(channel.pipeline().get(dev.saker.server.http1.Http1Connection.class) == null
                    && channel.hasAttr(dev.saker.server.connection.Connection.ACCEPTED_AT));
            long acceptedAt = channel.attr(dev.saker.server.connection.Connection.ACCEPTED_AT).get();
            channel.closeFuture().addListener(f -> runtime.stats().connectionClosed(CloseReason.SERVER,
                    System.nanoTime() - acceptedAt));
            // The 101 is written but not yet flushed: close behind it.
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        };
        start(b -> b, switching(own));
        try (RawClient client = new RawClient(server.port())) {
            client.send(UPGRADE_REQUEST + "xyz");
            read101(client.socket().getInputStream());
            assertThat(client.closedByServer(10_000)).isTrue();
        }
        assertThat(Poll.until(WAIT, () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(rest.get()).isEqualTo("xyz");
        assertThat(httpLeft.get()).isTrue();
        assertThat(server.stats().connectionsClosed()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- refusals

    /** Answers with what {@code upgrade} threw, so the refusal shows in the response. */
    private static HttpHandler refusing() {
        UpgradedProtocol never = (channel, runtime, loop, rest) -> {
            rest.release();
            throw new AssertionError("installed although refused");
        };
        return ex -> {
            ex.responseHeaders().set("Upgrade", "test");
            try {
                ex.upgrade(never);
                ex.send("switched");
            } catch (RuntimeException e) {
                ex.send(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        };
    }

    @Test
    void http10CannotSwitch() throws Exception {
        start(b -> b, refusing());
        try (RawClient client = new RawClient(server.port())) {
            RawClient.Response response = client.send("GET / HTTP/1.0\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n").read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).startsWith("UnsupportedOperationException: an HTTP/1.0 request");
        }
    }

    @Test
    void aRequestWithoutUpgradeOrWithABodyCannotSwitchAndTheConnectionStaysHttp() throws Exception {
        start(b -> b, refusing());
        try (RawClient client = new RawClient(server.port())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().bodyText())
                    .isEqualTo("IllegalStateException: the request did not ask for a protocol switch: it has no Upgrade field");
            assertThat(client.send("POST / HTTP/1.1\r\nHost: a\r\nUpgrade: test\r\nConnection: Upgrade\r\n"
                    + "Content-Length: 3\r\n\r\nabc").read().bodyText())
                    .isEqualTo("IllegalStateException: a request with a body cannot switch protocols");
        }
    }

    @Test
    void anHttp2StreamCannotSwitch() throws Exception {
        start(b -> b.http2(true), refusing());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).startsWith("UnsupportedOperationException: an HTTP/2 stream cannot switch protocols");
    }

    @Test
    void afterCommitTheSwitchIsRefused() throws Exception {
        AtomicReference<String> thrown = new AtomicReference<>();
        start(b -> b, ex -> {
            OutputStream out = ex.responseBody();
            out.write("x".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                ex.upgrade(new ByteStreamProtocol(s -> { }, Duration.ZERO));
            } catch (IllegalStateException e) {
                thrown.set(e.getMessage());
            }
            out.close();
        });
        try (RawClient client = new RawClient(server.port())) {
            RawClient.Response response = client.send(UPGRADE_REQUEST).read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("x");
        }
        assertThat(thrown.get()).isEqualTo("the response is already committed");
    }
}
