package dev.saker.server.upgrade;

import dev.saker.server.http.BodyConsumer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * An upgraded connection as a byte stream both ways. Input is read on demand: the socket is read
 * only while someone asked for bytes, so a slow reader holds the client back (TCP flow control).
 * Output is written from any thread; {@link #writable()} and {@link #onWritable} tell a non-blocking
 * writer when the client keeps up, and {@link #outputStream()} waits for it. The engine closes the
 * connection when no byte moves either way for the idle timeout, when the client has not read for
 * the write timeout, and at the deadline of a graceful shutdown (the engine does not know the
 * protocol, so it cannot ask the peer to finish earlier).
 */
public interface ByteStream {

    /**
     * Asks for the next bytes, non-blocking: {@code consumer} is called once, on the event loop, with
     * what has arrived (at once if bytes wait already), with {@code last} and no bytes when the client
     * closed its side, or with an error when the connection broke or is closed. One call, one
     * delivery: call again (from the callback, if wanted) for more.
     *
     * @throws IllegalStateException when a read is already pending
     */
    void read(BodyConsumer consumer);

    /**
     * @return a blocking stream over the input ({@code -1} once the client closed its side); not
     *         to be read on the event loop
     */
    InputStream inputStream();

    /** @return whether output can be handed over now without the writer having to wait */
    boolean writable();

    /**
     * Runs {@code task} on the event loop once the connection is writable (at once if it is now), or
     * once it closed, so a waiting writer learns of the close through its next write.
     */
    void onWritable(Runnable task);

    /**
     * Queues {@code data} for the client (not flushed); from any thread. Takes ownership.
     *
     * @throws IOException when the connection is closed (the buffer is released)
     */
    void write(ByteBuf data) throws IOException;

    /** Flushes what was written; from any thread. */
    void flush();

    /**
     * @return a blocking stream for output that waits while the client is not reading (off the event
     *         loop; on it, it does not wait); its {@code close()} closes the connection
     */
    OutputStream outputStream();

    /** Flushes what was written, then closes the connection; from any thread. */
    void close();

    /** @return whether the connection is still open */
    boolean isOpen();

    /** Runs {@code task} on the event loop once the connection has closed, whatever closed it (at once if it has). */
    void onClose(Runnable task);

    /** @return whether the calling thread is the connection's event loop (where nothing may block) */
    boolean inEventLoop();

    /** @return the allocator for output buffers */
    ByteBufAllocator alloc();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();
}
