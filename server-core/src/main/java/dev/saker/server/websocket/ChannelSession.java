package dev.saker.server.websocket;

import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.WebSocketStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The engine's {@link WebSocketSession} on one channel: outgoing frames, the close handshake in
 * both directions, backpressure and read pausing. State is touched on the event loop only;
 * calls from other threads are handed to it.
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
    private final ArrayDeque<Runnable> writableTasks = new ArrayDeque<>();
    private WebSocketConnection connection;
    private FrameReader reader;

    private volatile boolean open = true;
    private volatile long idleTimeoutNanos;
    private boolean closeSent;
    private boolean closeReceived;
    private int closeCode = CloseCodes.ABNORMAL;
    private String closeReason = "";
    /** When the server stops waiting for the client's close frame ({@link System#nanoTime()}), or 0. */
    private long closeDeadline;
    private boolean ended;
    /** Writes made on the loop during a read batch wait for the batch's single flush. */
    private boolean inReadBatch;
    private boolean needsFlush;

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
    }

    void attach(WebSocketConnection connection, FrameReader reader) {
        this.connection = connection;
        this.reader = reader;
    }

    WebSocketHandler handler() {
        return handler;
    }

    WebSocketStats stats() {
        return stats;
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
        if (channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("a blocking send on the session's event loop would wait on itself");
        }
    }

    private CompletableFuture<Void> sendData(boolean text, ByteBuf data, boolean last) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(() -> {
            if (closeSent || ended) {
                data.release();
                result.completeExceptionally(new IOException("the WebSocket session is closed"));
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
            write(frame, result);
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
        onLoop(() -> {
            if (closeSent || ended) {
                data.release();
                result.completeExceptionally(new IOException("the WebSocket session is closed"));
                return;
            }
            write(ping ? new PingWebSocketFrame(data) : new PongWebSocketFrame(data), result);
        }, data, result);
        return result;
    }

    /** Answers a ping on the loop (auto-pong); nothing once the close handshake began. */
    void pong(ByteBuf data) {
        if (closeSent) {
            data.release();
            return;
        }
        write(new PongWebSocketFrame(data), null);
    }

    private void write(WebSocketFrame frame, CompletableFuture<Void> result) {
        ChannelFuture future;
        if (inReadBatch) {
            future = channel.write(frame);
            needsFlush = true;
        } else {
            future = channel.writeAndFlush(frame);
        }
        if (result != null) {
            future.addListener(f -> {
                if (f.isSuccess()) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(f.cause());
                }
            });
        }
    }

    private void onLoop(Runnable task, ByteBuf owned, CompletableFuture<Void> result) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException stopped) {
            if (owned != null) {
                owned.release();
            }
            result.completeExceptionally(new ClosedChannelException());
        }
    }

    private void onLoop(Runnable task) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
        } else {
            try {
                channel.eventLoop().execute(task);
            } catch (RejectedExecutionException stopped) {
                // The loop is gone and the channel with it: nothing left to do.
            }
        }
    }

    // ---- read batches (FrameReader) ----

    void readBatchStarted() {
        inReadBatch = true;
    }

    void readBatchEnded() {
        inReadBatch = false;
        if (needsFlush) {
            needsFlush = false;
            channel.flush();
        }
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
        onLoop(() -> startClose(code, text, CloseReason.SERVER));
    }

    /**
     * Sends the server's close frame and waits for the client's up to the close timeout (the sweep
     * enforces it). Loop only; nothing when a close frame went out already.
     */
    void startClose(int code, String reason, CloseReason why) {
        if (closeSent || ended) {
            return;
        }
        closeSent = true;
        open = false;
        closeCode = code;
        closeReason = reason;
        connection.closeReason(why);
        // The client's close frame must be read even when the application paused reading.
        reader.resume();
        ChannelFuture written = channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        if (closeReceived) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else {
            closeDeadline = Math.max(1, System.nanoTime() + config.closeTimeout().toNanos());
        }
    }

    /**
     * Fails the connection (RFC 6455 §7.1.7): sends a close frame with {@code code} unless one went
     * out already, and closes the connection once it is written. Loop only.
     */
    void fail(int code, String reason, CloseReason why) {
        reader.stop();
        if (ended) {
            return;
        }
        open = false;
        if (closeSent) {
            channel.close();
            return;
        }
        closeSent = true;
        closeCode = code;
        closeReason = reason;
        connection.closeReason(why);
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /** The client's close frame arrived ({@code code} -1 when it had none). Loop only. */
    void closeReceived(int code, String reason) {
        open = false;
        if (closeReceived) {
            return;
        }
        closeReceived = true;
        reader.stop();
        if (closeSent) {
            // The server closed first: the handshake is complete, and the server closes TCP (RFC 6455 §7.1.1).
            channel.close();
            return;
        }
        closeSent = true;
        closeCode = code < 0 ? CloseCodes.NO_STATUS : code;
        closeReason = reason;
        connection.closeReason(CloseReason.CLIENT);
        // Echo the client's code (an empty close frame for none), then close TCP.
        CloseWebSocketFrame echo = code < 0
                ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
                : new CloseWebSocketFrame(code, null);
        channel.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }

    /** The connection broke (reset, I/O error): closes it without a close frame. Loop only. */
    void connectionBroke() {
        open = false;
        connection.closeReason(CloseReason.RESET);
        channel.close();
    }

    /** @return whether the close handshake's wait for the client passed {@code now} */
    boolean closeTimedOut(long now) {
        return closeDeadline != 0 && !closeReceived && now - closeDeadline >= 0;
    }

    /** @return whether the server sent or received a close frame */
    boolean closing() {
        return closeSent || closeReceived;
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** The connection closed: tells the application once. Loop only. */
    void ended() {
        if (ended) {
            return;
        }
        ended = true;
        open = false;
        writableTasks.clear();
        stats.sessionClosed(closeCode);
        try {
            handler.onClose(this, closeCode, closeReason);
        } catch (RuntimeException e) {
            FrameReader.LOG.debug("WebSocket onClose failed", e);
        }
    }

    @Override
    public void abort() {
        abort(CloseReason.SERVER);
    }

    /** Closes the connection without a close handshake, for {@code why}. */
    void abort(CloseReason why) {
        onLoop(() -> {
            if (connection != null) {
                connection.closeReason(why);
                if (why == CloseReason.WRITE_TIMEOUT) {
                    connection.writeTimedOut();
                }
            }
            channel.close();
        });
    }

    @Override
    public boolean isOpen() {
        return open && channel.isActive();
    }

    // ---- backpressure ----

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void onWritable(Runnable task) {
        onLoop(() -> {
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
        onLoop(() -> reader.pause());
    }

    @Override
    public void resumeReading() {
        onLoop(() -> reader.resume());
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
        return "WebSocketSession[" + path + ", " + channel.remoteAddress() + (open ? ", open]" : ", closed]");
    }
}
