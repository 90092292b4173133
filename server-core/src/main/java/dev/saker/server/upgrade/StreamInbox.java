package dev.saker.server.upgrade;

import dev.saker.server.http.BodyConsumer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The input side of an upgraded connection: bytes received and not yet asked for, the one consumer
 * waiting for bytes, and how the input ended. A consumer gets everything held in one delivery;
 * with nothing held the socket is asked for one read, so the socket is read only while someone
 * waits (auto-read is off). Loop only.
 */
final class StreamInbox {

    private final Runnable readSocket;
    private final Runnable taken;
    private final Consumer<RuntimeException> consumerFailed;
    private ByteBuf held;
    private BodyConsumer consumer;
    private boolean ended;
    private IOException failure;
    private boolean closed;

    /**
     * @param first bytes received before the switch (owned by this inbox)
     * @param readSocket asks the channel for one read
     * @param taken told as the waiting consumer is taken for its delivery (it may ask again from it)
     * @param consumerFailed told when a consumer's callback throws
     */
    StreamInbox(ByteBuf first, Runnable readSocket, Runnable taken, Consumer<RuntimeException> consumerFailed) {
        this.readSocket = readSocket;
        this.taken = taken;
        this.consumerFailed = consumerFailed;
        if (first.isReadable()) {
            held = first;
        } else {
            first.release();
        }
    }

    /** {@code consumer} waits for the next delivery (one at a time: the caller checks). */
    void await(BodyConsumer consumer) {
        this.consumer = consumer;
        deliver();
    }

    /** Takes ownership of one read from the socket. */
    void received(ByteBuf in, ByteBufAllocator alloc) {
        if (closed || !in.isReadable()) {
            in.release();
            return;
        }
        if (held == null) {
            held = in;
        } else {
            CompositeByteBuf chain;
            if (held instanceof CompositeByteBuf) {
                chain = (CompositeByteBuf) held;
            } else {
                chain = alloc.compositeBuffer();
                chain.addComponent(true, held);
                held = chain;
            }
            chain.addComponent(true, in);
        }
        deliver();
    }

    /** The client closed its side: a waiting consumer hears the end once what is held was taken. */
    void inputEnded() {
        ended = true;
        deliver();
    }

    /**
     * The connection closed: a waiting consumer gets what is held, then the end ({@code cleanEnd}:
     * the client closed) or a failure; bytes nobody asked for are dropped.
     */
    void connectionClosed(boolean cleanEnd, IOException cause) {
        ended |= cleanEnd;
        if (!ended) {
            failure = cause != null ? cause : new IOException("connection closed");
        }
        deliver();
        closed = true;
        if (held != null) {
            held.release();
            held = null;
        }
    }

    private void deliver() {
        BodyConsumer c = consumer;
        if (c == null) {
            return;
        }
        if (held != null) {
            ByteBuf data = held;
            held = null;
            take();
            try {
                c.onData(data, false);
            } catch (RuntimeException e) {
                consumerFailed.accept(e);
            } finally {
                data.release();
            }
        } else if (ended) {
            take();
            try {
                c.onData(Unpooled.EMPTY_BUFFER, true);
            } catch (RuntimeException e) {
                consumerFailed.accept(e);
            }
        } else if (failure != null) {
            take();
            c.onError(failure);
        } else {
            readSocket.run();
        }
    }

    private void take() {
        consumer = null;
        taken.run();
    }
}
