package dev.saker.server.websocket;

import dev.saker.server.observe.CloseReason;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.time.Duration;

/**
 * The closing handshake of RFC 6455 §7 for one session, either side first: who sent which close
 * frame, the code the session ends with, and how long the server still waits for the client's
 * close frame. The server closes TCP once both frames passed (or at once when it fails the
 * connection). State is touched on the event loop only; {@link #closing()} is readable anywhere.
 */
final class CloseHandshake {

    private final Channel channel;
    private final long timeoutNanos;
    private WebSocketConnection connection;
    private FrameReader reader;
    private volatile boolean closing;
    private boolean sent;
    private boolean received;
    private boolean ended;
    private int code = CloseCodes.ABNORMAL;
    private String reason = "";
    /** When the server stops waiting for the client's close frame ({@link System#nanoTime()}), or 0. */
    private long deadline;

    CloseHandshake(Channel channel, Duration timeout) {
        this.channel = channel;
        this.timeoutNanos = timeout.toNanos();
    }

    void attach(WebSocketConnection connection, FrameReader reader) {
        this.connection = connection;
        this.reader = reader;
    }

    /** Sends the server's close frame and waits for the client's; nothing once a close frame went out. */
    void start(int code, String reason, CloseReason why) {
        if (sent || ended) {
            return;
        }
        begin(code, reason, why);
        // The client's close frame must be read even when the application paused reading.
        reader.resume();
        if (received) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
            deadline = Math.max(1, System.nanoTime() + timeoutNanos);
        }
    }

    /**
     * Fails the connection (RFC 6455 §7.1.7): sends a close frame with {@code code} unless one went
     * out already, and closes the connection once it is written.
     */
    void fail(int code, String reason, CloseReason why) {
        reader.stop();
        if (ended) {
            return;
        }
        if (sent) {
            channel.close();
            return;
        }
        begin(code, reason, why);
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    /** The client's close frame arrived ({@code code} -1 when it had none). */
    void received(int code, String reason) {
        closing = true;
        if (received) {
            return;
        }
        received = true;
        reader.stop();
        if (sent) {
            // The server closed first: the handshake is complete, and the server closes TCP (RFC 6455 §7.1.1).
            channel.close();
            return;
        }
        begin(code < 0 ? CloseCodes.NO_STATUS : code, reason, CloseReason.CLIENT);
        // Echo the client's code (an empty close frame for none), then close TCP.
        CloseWebSocketFrame echo = code < 0
                ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
                : new CloseWebSocketFrame(code, null);
        channel.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
    }

    private void begin(int code, String reason, CloseReason why) {
        sent = true;
        closing = true;
        this.code = code;
        this.reason = reason;
        connection.closeReason(why);
    }

    /** The connection broke (reset, I/O error): closed without a close frame. */
    void broke() {
        closing = true;
        connection.closeReason(CloseReason.RESET);
        channel.close();
    }

    /** The connection closed; later calls do nothing. */
    void ended() {
        ended = true;
        closing = true;
    }

    /** @return whether the wait for the client's close frame passed {@code now} */
    boolean timedOut(long now) {
        return deadline != 0 && !received && now - deadline >= 0;
    }

    /** @return whether a close frame was sent or received (readable from any thread) */
    boolean closing() {
        return closing;
    }

    /** @return whether the server may not send data any more (its close frame went out, or the connection closed) */
    boolean sendClosed() {
        return sent || ended;
    }

    int code() {
        return code;
    }

    String reason() {
        return reason;
    }
}
