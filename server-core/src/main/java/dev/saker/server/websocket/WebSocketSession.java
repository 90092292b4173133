package dev.saker.server.websocket;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket connection as the application sees it. Every method may be called from any
 * thread: sends from other threads are handed to the connection's event loop without blocking and
 * go out in the order each thread made them. A send's future completes when the frame is written
 * to the socket, or exceptionally when the session closed first or the write failed.
 *
 * <p>Data frames of a message sent in parts ({@code last} false) must not be interleaved with
 * another message's; control frames (ping, pong, close) may go between the parts.
 */
public interface WebSocketSession {

    /** Sends a whole text message, or a part of one ({@code last} false for every part but the final one). */
    CompletableFuture<Void> sendText(CharSequence text, boolean last);

    /** Sends a whole binary message or a part of one; takes ownership of {@code data} (released once written). */
    CompletableFuture<Void> sendBinary(ByteBuf data, boolean last);

    /**
     * Sends a text message (or part) and waits until it is written, at most
     * {@link WebSocketConfig#writeTimeout()}; past that the session is closed (1011) and an
     * {@link java.io.IOException} thrown. Not on the event loop: it would wait on itself.
     *
     * @throws IllegalStateException when called on the connection's event loop
     */
    void sendTextBlocking(CharSequence text, boolean last) throws java.io.IOException;

    /** {@link #sendTextBlocking} for a binary message or part; takes ownership of {@code data}. */
    void sendBinaryBlocking(ByteBuf data, boolean last) throws java.io.IOException;

    /** Sends a ping; {@code data} at most 125 bytes, owned by the session. */
    CompletableFuture<Void> sendPing(ByteBuf data);

    /** Sends a pong (unsolicited, or the answer to a ping when auto-pong is off); at most 125 bytes. */
    CompletableFuture<Void> sendPong(ByteBuf data);

    /**
     * Starts the close handshake: sends a close frame with {@code code} and {@code reason} (at most
     * 123 bytes of UTF-8), then waits up to {@link WebSocketConfig#closeTimeout()} for the client's
     * close frame before closing the connection. Messages arriving meanwhile are dropped. No effect
     * once a close frame was sent.
     *
     * @throws IllegalArgumentException for a code an endpoint may not send (RFC 6455 §7.4)
     */
    void close(int code, String reason);

    /** Closes the connection at once, without a close handshake (the client sees 1006). */
    void abort();

    /** @return whether no close frame was sent or received yet and the connection is open */
    boolean isOpen();

    /** @return whether the socket takes more bytes now without queueing them (backpressure) */
    boolean writable();

    /**
     * Runs {@code task} once on the event loop as soon as the socket is {@link #writable()} again
     * (right away when it is). Not run when the session closes first.
     */
    void onWritable(Runnable task);

    /**
     * Stops reading from the socket: no callback follows until {@link #resumeReading()} (frames
     * already read are kept and delivered then, in order). Lets a slow consumer push back on the client.
     */
    void pauseReading();

    /** Reads again after {@link #pauseReading()}. */
    void resumeReading();

    /** @return the idle timeout in force; {@link Duration#ZERO} for none */
    Duration idleTimeout();

    /** Changes the idle timeout of this session; {@link Duration#ZERO} for none. */
    void idleTimeout(Duration timeout);

    /** @return the subprotocol chosen at the handshake, or {@code null} */
    String subprotocol();

    /** @return the extensions in force, as sent in {@code Sec-WebSocket-Extensions} (empty for none) */
    List<String> extensions();

    /** @return the request path of the handshake */
    String path();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /** @return whether the connection is TLS ({@code wss}) */
    boolean secure();

    /** @return the config of this session */
    WebSocketConfig config();
}
