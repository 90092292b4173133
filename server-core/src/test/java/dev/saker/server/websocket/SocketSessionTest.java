package dev.saker.server.websocket;

import static dev.saker.server.testing.WsFrames.CLOSE;
import static dev.saker.server.testing.WsFrames.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.WsFrames;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket protocol over a real loopback socket and event loop (installed on accepted channels
 * directly, as the HTTP/1.1 upgrade will): sends from other threads, blocking sends and their
 * timeout, the sweep's idle timeout, pausing from one thread and resuming from another.
 */
class SocketSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ServerStats stats = new ServerStats();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private EventLoopGroup group;
    private Channel server;
    private LoopContext loop;
    private Socket socket;

    private int start(WebSocketConfig config, Supplier<WebSocketHandler> handlers) throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerRuntime runtime = new ServerRuntime(ServerConfig.builder().headTimeout(Duration.ofMillis(200)).build(),
                stats, ex -> { }, Dispatcher.create(DispatchMode.EVENT_LOOP, 1, 0));
        loop = runtime.addLoop(group.next());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        stats.connectionOpened();
                        new WebSocketProtocol(handlers.get(), config, null, null, List.of(), "/ws")
                                .install(ch, runtime, loop, Unpooled.EMPTY_BUFFER);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private Socket connect(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (socket != null) {
            socket.close();
        }
        workers.shutdownNow();
        if (server != null) {
            server.close().sync();
            loop.stopSweep();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void blockingSendsFromAnotherThreadArriveInOrder() throws Exception {
        int port = start(WebSocketConfig.defaults(), () -> new WebSocketHandler() {
            @Override
            public void onText(WebSocketSession session, String text, boolean last) {
                workers.execute(() -> {
                    try {
                        for (int i = 0; i < 100; i++) {
                            session.sendTextBlocking(text + i, true);
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                });
            }
        });
        Socket s = connect(port);
        s.getOutputStream().write(WsFrames.text("m"));
        InputStream in = s.getInputStream();
        for (int i = 0; i < 100; i++) {
            WsFrames.Frame frame = WsFrames.read(in);
            assertThat(frame.opcode()).isEqualTo(TEXT);
            assertThat(frame.text()).isEqualTo("m" + i);
        }
        assertThat(Poll.until(WAIT, () -> stats.webSocket().messagesSent() == 100)).isTrue();
    }

    @Test
    void blockingSendToAClientThatDoesNotReadFailsAtTheWriteTimeout() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        int port = start(WebSocketConfig.builder().writeTimeout(Duration.ofMillis(300)).build(), () -> new WebSocketHandler() {
            @Override
            public void onOpen(WebSocketSession session) {
                workers.execute(() -> {
                    try {
                        // Bounded: 256 x 256 KiB is far more than the socket buffers hold.
                        for (int i = 0; i < 256; i++) {
                            session.sendBinaryBlocking(Unpooled.buffer().writeZero(256 * 1024), true);
                        }
                    } catch (IOException e) {
                        failure.set(e);
                    }
                });
            }

            @Override
            public void onClose(WebSocketSession session, int code, String reason) {
                closed.countDown();
            }
        });
        Socket s = connect(port);
        s.setReceiveBufferSize(4096);
        assertThat(Poll.until(WAIT, () -> failure.get() != null)).isTrue();
        assertThat(failure.get()).hasMessageContaining("not written within 300 ms");
        assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Poll.until(WAIT, () -> stats.connectionsClosed(CloseReason.WRITE_TIMEOUT) == 1)).isTrue();
        assertThat(stats.timeouts(dev.saker.server.observe.TimeoutKind.WRITE)).isEqualTo(1);
    }

    @Test
    void idleSessionIsClosedByTheSweep() throws Exception {
        int port = start(WebSocketConfig.builder().idleTimeout(Duration.ofMillis(200)).build(),
                () -> new WebSocketHandler() { });
        Socket s = connect(port);
        WsFrames.Frame close = WsFrames.read(s.getInputStream());
        assertThat(close.opcode()).isEqualTo(CLOSE);
        assertThat(close.closeCode()).isEqualTo(1001);
        s.getOutputStream().write(WsFrames.close(1001, ""));
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        assertThat(Poll.until(WAIT, () -> stats.connectionsClosed(CloseReason.IDLE_TIMEOUT) == 1)).isTrue();
        assertThat(stats.webSocket().sessionsActive()).isZero();
    }

    @Test
    void clientCloseIsEchoedThenTheServerClosesTheSocket() throws Exception {
        int port = start(WebSocketConfig.defaults(), () -> new WebSocketHandler() { });
        Socket s = connect(port);
        s.getOutputStream().write(WsFrames.close(1000, "bye"));
        WsFrames.Frame echo = WsFrames.read(s.getInputStream());
        assertThat(echo.closeCode()).isEqualTo(1000);
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        assertThat(Poll.until(WAIT, () -> stats.connectionsClosed(CloseReason.CLIENT) == 1)).isTrue();
    }

    @Test
    void pausedOnTheLoopAndResumedFromAWorkerEveryMessageArrivesInOrder() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        int port = start(WebSocketConfig.defaults(), () -> new WebSocketHandler() {
            @Override
            public void onText(WebSocketSession session, String text, boolean last) {
                session.pauseReading();
                workers.execute(() -> {
                    seen.add(text);
                    session.sendText("ack " + text, true);
                    session.resumeReading();
                });
            }
        });
        Socket s = connect(port);
        OutputStream out = s.getOutputStream();
        byte[][] frames = new byte[50][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = WsFrames.text("n" + i);
        }
        out.write(WsFrames.concat(frames));
        for (int i = 0; i < frames.length; i++) {
            assertThat(WsFrames.read(s.getInputStream()).text()).isEqualTo("ack n" + i);
        }
        assertThat(seen).hasSize(50);
        assertThat(seen.get(49)).isEqualTo("n49");
    }

    @Test
    void drainSendsGoingAway() throws Exception {
        int port = start(WebSocketConfig.defaults(), () -> new WebSocketHandler() { });
        Socket s = connect(port);
        assertThat(Poll.until(WAIT, () -> loop.connectionCount() == 1)).isTrue();
        loop.loop().execute(loop::drainConnections);
        assertThat(WsFrames.read(s.getInputStream()).closeCode()).isEqualTo(1001);
        s.getOutputStream().write(WsFrames.close(1001, ""));
        assertThat(s.getInputStream().read()).isEqualTo(-1);
        assertThat(Poll.until(WAIT, () -> stats.connectionsClosed(CloseReason.SHUTDOWN) == 1)).isTrue();
    }
}
