package dev.saker.server.websocket;

import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.WebSocketStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's {@link WebSocketSession} on one channel: what the application calls, handed to the
 * event loop ({@link FrameWriter}) where the state lives; the closing handshake is
 * {@link CloseHandshake}'s, inbound frames are {@link FrameReader}'s.
 */
final class ChannelSession implements WebSocketSession {

    private final Channel channel;
    private final WebSocketHandler handler;
    private final WebSocketConfig config;
    private final WebSocketStats stats;
    private final String subprotocol;
    private final List<String> extensions;
    private final String path;
    private final Outbound outbound = new Outbound();
    private final FrameWriter writer;
    private final CloseHandshake close;
    private final ArrayDeque<Runnable> writableTasks = new ArrayDeque<>();
    private WebSocketConnection connection;
    private FrameReader reader;
    private volatile long idleTimeoutNanos;
    /** Set by the thread that calls {@link #close} or {@link #abort}: closed for sends from then on. */
    private volatile boolean closeCalled;
    private boolean ended;
    private boolean countedClosed;

    ChannelSession(Channel channel, WebSocketHandler handler, WebSocketConfig config, WebSocketStats stats,
            String subprotocol, List<String> extensions, String path) {
        this.channel = channel;
        this.handler = handler;
        this.config = config;
        this.stats = stats;
        this.subprotocol = subprotocol;
        this.extensions = List.copyOf(extensions);
        this.path = path;
        this.idleTimeoutNanos = config.idleTimeout().toNanos();
        this.writer = new FrameWriter(channel);
        this.close = new CloseHandshake(channel, config.closeTimeout());
    }

    void attach(WebSocketConnection connection, FrameReader reader) {
        this.connection = connection;
        this.reader = reader;
        close.attach(connection, reader);
    }

    WebSocketHandler handler() {
        return handler;
    }

    WebSocketStats stats() {
        return stats;
    }

    CloseHandshake closeHandshake() {
        return close;
    }

    FrameWriter writer() {
        return writer;
    }

    // ---- sending ----

    @Override
    public CompletableFuture<Void> sendText(CharSequence text, boolean last) {
        ByteBuf data = ByteBufUtil.writeUtf8(channel.alloc(), text);
        return sendData(true, data, last);
    }

    @Override
    public CompletableFuture<Void> sendBinary(ByteBuf data, boolean last) {
        return sendData(false, data, last);
    }

    @Override
    public void sendTextBlocking(CharSequence text, boolean last) throws IOException {
        checkNotOnLoop();
        BlockingWait.await(sendText(text, last), config.writeTimeout(), this);
    }

    @Override
    public void sendBinaryBlocking(ByteBuf data, boolean last) throws IOException {
        checkNotOnLoop();
        BlockingWait.await(sendBinary(data, last), config.writeTimeout(), this);
    }

    private void checkNotOnLoop() {
        if (writer.onLoop()) {
            throw new IllegalStateException("a blocking send on the session's event loop would wait on itself");
        }
    }

    private CompletableFuture<Void> sendData(boolean text, ByteBuf data, boolean last) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        writer.onLoop(() -> {
            if (refusedAfterClose(data, result)) {
                return;
            }
            WebSocketFrame frame;
            try {
                frame = outbound.frame(text, data, last);
            } catch (IllegalStateException e) {
                data.release();
                result.completeExceptionally(e);
                return;
            }
            int bytes = data.readableBytes();
            if (last) {
                stats.messageSent(bytes);
            } else {
                stats.bytesSent(bytes);
            }
            writer.writeSoon(frame, result);
        }, data, result);
        return result;
    }

    @Override
    public CompletableFuture<Void> sendPing(ByteBuf data) {
        return sendControl(data, true);
    }

    @Override
    public CompletableFuture<Void> sendPong(ByteBuf data) {
        return sendControl(data, false);
    }

    private CompletableFuture<Void> sendControl(ByteBuf data, boolean ping) {
        if (data.readableBytes() > 125) {
            int size = data.readableBytes();
            data.release();
            throw new IllegalArgumentException("a control frame carries at most 125 bytes: " + size);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        writer.onLoop(() -> {
            if (!refusedAfterClose(data, result)) {
                writer.write(ping ? new PingWebSocketFrame(data) : new PongWebSocketFrame(data), result);
            }
        }, data, result);
        return result;
    }

    /** On the loop: once the close frame is sent nothing more goes out; {@code data} is released, the send fails. */
    private boolean refusedAfterClose(ByteBuf data, CompletableFuture<Void> result) {
        if (!close.sendClosed()) {
            return false;
        }
        data.release();
        result.completeExceptionally(new IOException("the WebSocket session is closed"));
        return true;
    }

    /** Answers a ping on the loop (auto-pong); nothing once the close handshake began. */
    void pong(ByteBuf data) {
        if (close.sendClosed()) {
            data.release();
            return;
        }
        writer.write(new PongWebSocketFrame(data), null);
    }

    // ---- closing ----

    @Override
    public void close(int code, String reason) {
        if (!CloseCodes.sendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 §7.4)");
        }
        String text = reason == null ? "" : reason;
        if (text.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("a close reason carries at most 123 bytes of UTF-8");
        }
        closeCalled = true;
        writer.onLoop(() -> close.start(code, text, CloseReason.SERVER));
    }

    @Override
    public void abort() {
        abort(CloseReason.SERVER);
    }

    /** Closes the connection without a close handshake, for {@code why}. */
    void abort(CloseReason why) {
        closeCalled = true;
        writer.onLoop(() -> {
            connection.closeReason(why);
            if (why == CloseReason.WRITE_TIMEOUT) {
                connection.writeTimedOut();
            }
            channel.close();
        });
    }

    /** The connection closed: counts the session closed, once, with its close code. Loop only. */
    void countClosed() {
        if (countedClosed) {
            return;
        }
        countedClosed = true;
        close.ended();
        stats.sessionClosed(close.code());
    }

    /** The connection closed: tells the application once. Loop only. */
    void ended() {
        if (ended) {
            return;
        }
        ended = true;
        countClosed();
        writableTasks.clear();
        try {
            handler.onClose(this, close.code(), close.reason());
        } catch (RuntimeException e) {
            FrameReader.LOG.debug("WebSocket onClose failed", e);
        }
    }

    @Override
    public boolean isOpen() {
        return !closeCalled && !close.closing() && channel.isActive();
    }

    // ---- backpressure and reading ----

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void onWritable(Runnable task) {
        writer.onLoop(() -> {
            if (ended) {
                return;
            }
            if (channel.isWritable()) {
                task.run();
            } else {
                writableTasks.add(task);
            }
        });
    }

    void writabilityChanged() {
        while (channel.isWritable() && !writableTasks.isEmpty()) {
            writableTasks.poll().run();
        }
    }

    @Override
    public void pauseReading() {
        writer.onLoop(() -> reader.pause());
    }

    @Override
    public void resumeReading() {
        writer.onLoop(() -> reader.resume());
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    // ---- description ----

    @Override
    public Duration idleTimeout() {
        return Duration.ofNanos(idleTimeoutNanos);
    }

    @Override
    public void idleTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative: " + timeout);
        }
        idleTimeoutNanos = timeout.toNanos();
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public List<String> extensions() {
        return extensions;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public boolean secure() {
        return channel.pipeline().get(SslHandler.class) != null;
    }

    @Override
    public WebSocketConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + path + ", " + channel.remoteAddress() + (isOpen() ? ", open]" : ", closed]");
    }
}
