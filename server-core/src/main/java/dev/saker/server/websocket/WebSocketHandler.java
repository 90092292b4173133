package dev.saker.server.websocket;

import io.netty.buffer.ByteBuf;

/**
 * What an application does with one WebSocket session. Every callback runs on the connection's
 * event loop, one at a time and in the order the frames arrived, so a callback must not block:
 * hand long work to another thread (and {@link WebSocketSession#pauseReading()} meanwhile when the
 * consumer is slower than the client). A callback that throws closes the session with 1011 after
 * {@link #onError}.
 *
 * <p>Messages arrive whole by default; with {@link WebSocketConfig#partialText()} or
 * {@link WebSocketConfig#partialBinary()} they arrive a frame at a time and {@code last} marks the
 * final part.
 */
public interface WebSocketHandler {

    /** The handshake finished and the session is open; the first message follows this call. */
    default void onOpen(WebSocketSession session) {
    }

    /** A text message, or a part of one ({@code last} false for every part but the final one). */
    default void onText(WebSocketSession session, String text, boolean last) {
    }

    /**
     * A binary message, or a part of one. {@code data} belongs to the engine and is released when
     * this call returns: copy it, or {@link ByteBuf#retain()} it to keep it (and release it later).
     */
    default void onBinary(WebSocketSession session, ByteBuf data, boolean last) {
    }

    /**
     * The client pinged (answered already when {@link WebSocketConfig#autoPong()} is on).
     * {@code data} is released when this call returns.
     */
    default void onPing(WebSocketSession session, ByteBuf data) {
    }

    /** The client sent a pong (solicited or not). {@code data} is released when this call returns. */
    default void onPong(WebSocketSession session, ByteBuf data) {
    }

    /**
     * A failure the session cannot recover from: a callback threw, or the connection broke. The
     * session closes after this call ({@link #onClose} follows).
     */
    default void onError(WebSocketSession session, Throwable cause) {
    }

    /**
     * The session ended, called exactly once when the connection has closed. {@code code} is the
     * close code of the close handshake: the client's when it closed first (1005 when its close
     * frame had none), the server's when the server closed first or failed the connection (1002,
     * 1007, 1009, 1001 ...), 1006 when the connection dropped without a close frame.
     */
    default void onClose(WebSocketSession session, int code, String reason) {
    }
}
