package dev.saker.server.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * A connection's received bytes not yet consumed: the cumulation the parser reads heads from and the
 * body reader slices bodies out of. Owns that buffer: how reads are appended (in place, merged, or
 * chained behind body bytes), when a chain is flattened for the next head, and its release; and
 * whether the socket is read at all (auto-read), paused while unread input backs up. Loop only.
 */
final class InputBuffer {

    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;

    /** Binds the buffer to its channel (for the allocator); called once, when the handler is added. */
    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** @return the buffered input, or {@code null} when nothing is buffered */
    ByteBuf buffer() {
        return cumulation;
    }

    /** @return whether unread bytes are buffered */
    boolean isReadable() {
        return cumulation != null && cumulation.isReadable();
    }

    /**
     * Takes ownership of {@code in}, one read from the socket.
     *
     * @param inBody whether a request body is being read or drained (unread bytes are body bytes)
     */
    void add(ByteBuf in, boolean inBody) {
        if (cumulation == null) {
            cumulation = in;
            return;
        }
        if (!cumulation.isReadable()) {
            // Everything was taken (a body handed to its reader as slices): no copy into it, the new
            // read becomes the input; the slices keep the old buffer alive as long as they need it.
            cumulation.release();
            cumulation = in;
            return;
        }
        if (inBody) {
            // Body bytes behind unread body bytes: chain the read instead of copying both into a
            // grown buffer (a large upload would be copied again on every read). Past 16 pieces the
            // composite consolidates, so tiny reads cannot pile up as thousands of buffers.
            CompositeByteBuf chain;
            if (cumulation instanceof CompositeByteBuf) {
                chain = (CompositeByteBuf) cumulation;
            } else {
                chain = ctx.alloc().compositeBuffer();
                chain.addComponent(true, cumulation);
                cumulation = chain;
            }
            chain.addComponent(true, in);
            return;
        }
        int incoming = in.readableBytes();
        // Growing in place may move memory: only when nothing else (an exchange, a body slice) holds it.
        if (cumulation.writableBytes() >= incoming
                || (cumulation.refCnt() == 1 && cumulation.maxWritableBytes() >= incoming)) {
            cumulation.writeBytes(in);
            in.release();
            return;
        }
        ByteBuf merged = ctx.alloc().buffer(cumulation.readableBytes() + incoming);
        merged.writeBytes(cumulation).writeBytes(in);
        cumulation.release();
        in.release();
        cumulation = merged;
    }

    /**
     * The next head is parsed from one contiguous buffer: copies what is left of a body chain.
     *
     * @return the buffer to parse (readable)
     */
    ByteBuf forHead() {
        // Small, so it inlines on the per-request path; the copy is the rare case.
        if (cumulation instanceof CompositeByteBuf) {
            flatten();
        }
        return cumulation;
    }

    private void flatten() {
        ByteBuf flat = ctx.alloc().buffer(cumulation.readableBytes());
        flat.writeBytes(cumulation);
        cumulation.release();
        cumulation = flat;
    }

    /**
     * Consumes a parsed head of {@code length} bytes.
     *
     * @return the buffer the head lies in, retained for the exchange (its fields are offsets into it)
     */
    ByteBuf takeHead(int length) {
        ByteBuf held = cumulation.retain();
        cumulation.skipBytes(length);
        return held;
    }

    /** The read batch is over: frees an emptied buffer, or compacts one nothing else holds. */
    void readBatchDone() {
        if (cumulation != null) {
            if (!cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            } else if (cumulation.refCnt() == 1) {
                cumulation.discardSomeReadBytes();
            }
        }
    }

    /** Stops reading the socket while more than {@code highWater} bytes wait here unread. */
    void pauseIfAbove(int highWater) {
        if (cumulation != null && cumulation.readableBytes() > highWater && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Stops reading the socket (its reader has no room for more). */
    void pauseReading() {
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Reads the socket again. */
    void resumeReading() {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Takes every unread byte, for the protocol the connection switches to, and drops the buffer.
     *
     * @return the unread bytes (owned by the caller), or {@code null} when there are none
     */
    ByteBuf takeRest() {
        ByteBuf rest = isReadable() ? cumulation.readRetainedSlice(cumulation.readableBytes()) : null;
        release();
        return rest;
    }

    /** The connection closed: drops whatever is buffered. */
    void release() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}
