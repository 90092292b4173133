package dev.saker.servlet.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.servlet.SakerServletContainer;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.ServletServer;
import dev.saker.servlet.context.SakerServletContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code HttpServletRequest.upgrade} end to end over loopback: echo handlers with non-blocking
 * listeners and with blocking streams on a thread, megabytes both ways against a client that stops
 * reading (backpressure), the client's clean end and its reset, the server's close, {@code destroy()}
 * once, and the refusals (no Upgrade, async, HTTP/1.0, HTTP/2, no Upgrade response field).
 */
class UpgradeServletTest {

    private static final String UPGRADE_REQUEST = "GET /up HTTP/1.1\r\nHost: localhost\r\nUpgrade: echo\r\n"
            + "Connection: Upgrade\r\n\r\n";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SIZE = 32 * 1024 * 1024;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Echo> handlers = new CopyOnWriteArrayList<>();
    private ServletServer server;

    @AfterEach
    void stop() {
        threads.shutdownNow();
        if (server != null) {
            server.close();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    /** What a test observes of its handler. */
    abstract static class Echo implements HttpUpgradeHandler {
        final AtomicInteger inits = new AtomicInteger();
        final AtomicInteger destroys = new AtomicInteger();
        /** How the input ended: "allDataRead", "eof", "error: ..." */
        final AtomicReference<String> end = new AtomicReference<>();
        volatile WebConnection connection;

        @Override
        public void init(WebConnection wc) {
            connection = wc;
            inits.incrementAndGet();
            start(wc);
        }

        abstract void start(WebConnection wc);

        @Override
        public void destroy() {
            destroys.incrementAndGet();
        }

        void closeQuietly() {
            try {
                connection.close();
            } catch (Exception e) {
                end.compareAndSet(null, "close failed: " + e);
            }
        }
    }

    /** Echoes with a ReadListener and a WriteListener: reads only while the output takes more. */
    public static final class NonBlockingEcho extends Echo {
        private final byte[] buf = new byte[8192];
        private int pending;
        private boolean inputDone;
        private ServletInputStream in;
        private ServletOutputStream out;

        @Override
        void start(WebConnection wc) {
            try {
                in = wc.getInputStream();
                out = wc.getOutputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            out.setWriteListener(new WriteListener() {
                @Override
                public void onWritePossible() throws IOException {
                    pump();
                }

                @Override
                public void onError(Throwable t) {
                    end.compareAndSet(null, "write error: " + t.getMessage());
                }
            });
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    pump();
                }

                @Override
                public void onAllDataRead() throws IOException {
                    end.compareAndSet(null, "allDataRead");
                    inputDone = true;
                    pump();
                }

                @Override
                public void onError(Throwable t) {
                    end.compareAndSet(null, "error: " + t.getMessage());
                }
            });
        }

        /** Listener callbacks never overlap: no lock needed. */
        private void pump() throws IOException {
            while (true) {
                if (pending > 0) {
                    if (!out.isReady()) {
                        return;
                    }
                    out.write(buf, 0, pending);
                    pending = 0;
                }
                if (inputDone) {
                    closeQuietly();
                    return;
                }
                if (!in.isReady() || in.isFinished()) {
                    return;
                }
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                pending = n;
            }
        }
    }

    /** Echoes with blocking streams on a thread of its own; closes on "bye". */
    public static final class BlockingEcho extends Echo {
        @Override
        void start(WebConnection wc) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16384];
                try (InputStream in = wc.getInputStream()) {
                    OutputStream out = wc.getOutputStream();
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        if (n == 3 && new String(buf, 0, 3, StandardCharsets.US_ASCII).equals("bye")) {
                            end.set("bye");
                            wc.close();
                            return;
                        }
                        out.write(buf, 0, n);
                    }
                    end.set("eof");
                    wc.close();
                } catch (Exception e) {
                    end.compareAndSet(null, "error: " + e.getMessage());
                }
            }, "blocking-echo");
            t.setDaemon(true);
            t.start();
        }
    }

    private HttpServlet upgrading(Class<? extends Echo> type) {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, jakarta.servlet.ServletException {
                resp.setHeader("Upgrade", "echo");
                resp.setHeader("Connection", "Upgrade");
                handlers.add(req.upgrade(type));
            }
        };
    }

    private void start(HttpServlet servlet) {
        server = ServletServer.start("", ctx -> {
            jakarta.servlet.ServletRegistration.Dynamic registration = ctx.addServlet("up", servlet);
            registration.addMapping("/*");
            registration.setAsyncSupported(true);
        });
    }

    private static String read101(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF in the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Small client buffers, so what the server holds back shows well within {@link #SIZE}. */
    private SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 64 * 1024);
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        channel.connect(new InetSocketAddress("127.0.0.1", server.port()));
        channel.write(ByteBuffer.wrap(UPGRADE_REQUEST.getBytes(StandardCharsets.ISO_8859_1)));
        return channel;
    }

    private static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7 + (i >>> 13));
        }
        return b;
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    /**
     * Sends {@link #SIZE} bytes without reading until the server holds back, then reads the echo
     * while sending the rest, then ends its side; the echo must be whole and the server must close.
     */
    private void echoMegabytesAgainstAStalledClient(Class<? extends Echo> type) throws Exception {
        start(upgrading(type));
        byte[] data = payload(SIZE);
        try (SocketChannel channel = connect()) {
            InputStream in = Channels.newInputStream(channel);
            String head = read101(in);
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n").contains("Upgrade: echo\r\n")
                    .contains("Connection: Upgrade\r\n").doesNotContain("Content-Length", "Transfer-Encoding");
            assertThat(Poll.until(WAIT, () -> handlers.size() == 1 && handlers.get(0).inits.get() == 1)).isTrue();

            // The client reads nothing: the echo fills its socket, stops reading, and the client's
            // writes stop being taken, far short of the total.
            channel.configureBlocking(false);
            ByteBuffer out = ByteBuffer.wrap(data);
            try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
                channel.register(selector, java.nio.channels.SelectionKey.OP_WRITE);
                // Stalled: the socket has taken nothing more for two seconds.
                while (out.hasRemaining() && selector.select(2_000) > 0) {
                    selector.selectedKeys().clear();
                    channel.write(out);
                }
                channel.keyFor(selector).cancel();
                selector.selectNow();
            }
            assertThat(out.remaining()).as("bytes the server would not take while its echo was not read").isPositive();
            long received = server.server().stats().bytesReceived();
            assertThat(received).isLessThan(UPGRADE_REQUEST.length() + (long) SIZE);

            channel.configureBlocking(true);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    while (out.hasRemaining()) {
                        channel.write(out);
                    }
                    channel.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            byte[] echoed = in.readNBytes(SIZE);
            sender.get(30, TimeUnit.SECONDS);
            assertThat(echoed.length).isEqualTo(SIZE);
            assertThat(crc(echoed)).isEqualTo(crc(data));
            // The client ended its side: the handler closes, the client sees the end.
            assertThat(in.read()).isEqualTo(-1);
        }
        Echo handler = handlers.get(0);
        assertThat(Poll.until(WAIT, () -> handler.destroys.get() == 1)).isTrue();
        assertThat(Poll.until(WAIT, () -> server.server().stats().connectionsActive() == 0)).isTrue();
        assertThat(handler.destroys.get()).isEqualTo(1);
        assertThat(server.server().stats().connectionsClosed()).isEqualTo(1);
        assertThat(server.server().stats().responses(1)).isEqualTo(1);
    }

    @Test
    void nonBlockingListenersEchoMegabytesWithBackpressure() throws Exception {
        echoMegabytesAgainstAStalledClient(NonBlockingEcho.class);
        assertThat(handlers.get(0).end.get()).isEqualTo("allDataRead");
    }

    @Test
    void blockingStreamsOnAThreadEchoMegabytesWithBackpressure() throws Exception {
        echoMegabytesAgainstAStalledClient(BlockingEcho.class);
        assertThat(handlers.get(0).end.get()).isEqualTo("eof");
    }

    @Test
    void aClientResetReachesTheReadListenerAsAnErrorAndDestroysTheHandler() throws Exception {
        start(upgrading(NonBlockingEcho.class));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write((UPGRADE_REQUEST + "hello").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            read101(in);
            assertThat(new String(in.readNBytes(5), StandardCharsets.ISO_8859_1)).isEqualTo("hello");
            socket.setSoLinger(true, 0);
        }
        assertThat(Poll.until(WAIT, () -> handlers.get(0).destroys.get() == 1)).isTrue();
        assertThat(handlers.get(0).end.get()).startsWith("error");
        assertThat(Poll.until(WAIT, () -> server.server().stats().connectionsActive() == 0)).isTrue();
    }

    @Test
    void theHandlerClosesTheConnection() throws Exception {
        start(upgrading(BlockingEcho.class));
        try (RawClient client = new RawClient(server.port())) {
            client.send(UPGRADE_REQUEST);
            InputStream in = client.socket().getInputStream();
            read101(in);
            client.send("ping");
            assertThat(new String(in.readNBytes(4), StandardCharsets.ISO_8859_1)).isEqualTo("ping");
            client.send("bye");
            assertThat(client.closedByServer(10_000)).isTrue();
        }
        assertThat(Poll.until(WAIT, () -> handlers.get(0).destroys.get() == 1)).isTrue();
        assertThat(handlers.get(0).end.get()).isEqualTo("bye");
    }

    @Test
    void anIdleUpgradedConnectionClosesAtTheIdleTimeout() throws Exception {
        server = ServletServer.start("", ServletContainerConfig.defaults().withUpgradeIdleTimeout(Duration.ofMillis(200)),
                ctx -> ctx.addServlet("up", upgrading(BlockingEcho.class)).addMapping("/*"), c -> { });
        try (RawClient client = new RawClient(server.port())) {
            client.send(UPGRADE_REQUEST);
            read101(client.socket().getInputStream());
            assertThat(client.closedByServer(10_000)).isTrue();
        }
        assertThat(Poll.until(WAIT, () -> handlers.get(0).destroys.get() == 1)).isTrue();
        // The handler's own thread hears the end from its blocked read, independently of destroy().
        assertThat(Poll.until(WAIT, () -> handlers.get(0).end.get() != null)).isTrue();
        assertThat(handlers.get(0).end.get()).startsWith("error");
    }

    // ---------------------------------------------------------------- refusals

    /** Tries to upgrade as the request says and answers with what was thrown. */
    private static HttpServlet refusing() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getParameter("async") != null) {
                    req.startAsync();
                }
                resp.setHeader("Upgrade", "echo");
                try {
                    req.upgrade(BlockingEcho.class);
                    resp.getWriter().print("upgraded");
                } catch (RuntimeException | jakarta.servlet.ServletException e) {
                    resp.setStatus(200);
                    resp.getWriter().print(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                if (req.isAsyncStarted()) {
                    req.getAsyncContext().complete();
                }
            }
        };
    }

    @Test
    void upgradeIsRefusedWithoutUpgradeOverHttp10AndInAsync() throws Exception {
        start(refusing());
        try (RawClient client = new RawClient(server.port())) {
            assertThat(client.send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n").read().bodyText())
                    .isEqualTo("IllegalStateException: the request did not ask for a protocol switch: it has no Upgrade header");
            assertThat(client.send("GET /x?async=1 HTTP/1.1\r\nHost: a\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
                    .read().bodyText()).isEqualTo("IllegalStateException: a request in an async cycle cannot be upgraded");
        }
        try (RawClient client = new RawClient(server.port())) {
            assertThat(client.send("GET /x HTTP/1.0\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n").read().bodyText())
                    .isEqualTo("UnsupportedOperationException: HTTP/1.0 requests cannot be upgraded");
        }
    }

    @Test
    void upgradeIsRefusedOverHttp2() throws Exception {
        SakerServletContext context = new SakerServletContext("", getClass().getClassLoader());
        context.addServlet("up", refusing()).addMapping("/*");
        SakerServletContainer container = new SakerServletContainer(context, ServletContainerConfig.defaults());
        container.start();
        SakerServer h2 = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true)
                .dispatchMode(DispatchMode.WORKER_POOL).build(), container).start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + h2.port() + "/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo(
                    "UnsupportedOperationException: HTTP/2.0 requests cannot be upgraded (RFC 9113 section 8.6: HTTP/2 has no Upgrade)");
        } finally {
            h2.stop();
            container.stop();
        }
    }

    @Test
    void aResponseWithoutUpgradeIsAnErrorAndTheHandlerNeverStarts() throws Exception {
        start(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, jakarta.servlet.ServletException {
                handlers.add(req.upgrade(BlockingEcho.class));
            }
        });
        try (RawClient client = new RawClient(server.port())) {
            assertThat(client.send(UPGRADE_REQUEST).read().status()).isEqualTo(500);
        }
        assertThat(handlers.get(0).inits.get()).isZero();
    }
}
