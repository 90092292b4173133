package dev.saker.server.http1;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.MutableHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The body of a request that asks for a protocol switch, read whole before the switch: waits until
 * the input holds all of it without consuming anything, so a body that turns out too large (or
 * malformed, or cut short) is still there, untouched, for the request to be served as HTTP/1.1.
 * A chunked body is decoded as it is scanned (into a copy of at most the limit). Loop only.
 */
final class UpgradeBody {

    /** More input is needed. */
    static final int MORE = 0;
    /** The whole body is buffered: {@link #take} it and switch. */
    static final int COMPLETE = 1;
    /** Too large, malformed or cut short: serve the request as HTTP/1.1. */
    static final int GIVE_UP = 2;

    private final ChunkedDecoder decoder;
    private Http1Upgrade.Switch pending;
    private long limit;
    private boolean chunked;
    private long length;
    /** Bytes of a chunked body scanned so far, from the input's reader index. */
    private long scanned;
    private ByteBuf decoded;

    UpgradeBody(Http1Runtime rt) {
        this.decoder = new ChunkedDecoder(rt.config.maxChunkExtensionBytes(), rt.config.maxHeadSize(),
                rt.config.maxHeaderCount(), rt.config.allowBareLf());
    }

    /** A switch was prepared for {@code head}, whose body is at most {@code limit} bytes as sent. */
    void begin(Http1Upgrade.Switch sw, RequestHead head, long limit) {
        pending = sw;
        this.limit = limit;
        chunked = head.chunked;
        length = Math.max(head.contentLength, 0);
        scanned = 0;
        if (chunked) {
            decoder.reset();
        }
    }

    Http1Upgrade.Switch pending() {
        return pending;
    }

    /**
     * @param in the buffered input after the head (not consumed), or {@code null}
     * @return {@link #MORE}, {@link #COMPLETE} or {@link #GIVE_UP}
     */
    int scan(ByteBuf in, ByteBufAllocator alloc) {
        int readable = in == null ? 0 : in.readableBytes();
        if (!chunked) {
            return readable >= length ? COMPLETE : MORE;
        }
        if (readable == scanned) {
            return MORE;
        }
        ByteBuf view = in.duplicate();
        view.readerIndex(in.readerIndex() + (int) scanned);
        try {
            while (true) {
                long n = decoder.advance(view);
                if (n <= 0) {
                    scanned = view.readerIndex() - in.readerIndex();
                    if (scanned > limit) {
                        return GIVE_UP;
                    }
                    return n < 0 ? COMPLETE : MORE;
                }
                int take = (int) n;
                if (decoded == null) {
                    decoded = alloc.buffer(take);
                }
                if (decoded.readableBytes() + take > limit) {
                    return GIVE_UP;
                }
                decoded.writeBytes(view, take);
                decoder.consumed(take);
            }
        } catch (BadRequestException malformed) {
            // HTTP/1.1 reads the body again from the start and answers the error as it always does.
            return GIVE_UP;
        }
    }

    /**
     * Consumes the complete body from {@code in}.
     *
     * @return the decoded body (owned by the caller), or {@code null} when it is empty
     */
    ByteBuf take(ByteBuf in) {
        if (!chunked) {
            return length == 0 ? null : in.readRetainedSlice((int) length);
        }
        in.skipBytes((int) scanned);
        ByteBuf body = decoded;
        decoded = null;
        if (body != null && !body.isReadable()) {
            body.release();
            return null;
        }
        return body;
    }

    /** @return the trailer fields of a chunked body, or {@code null} */
    MutableHeaders trailers() {
        return chunked ? decoder.trailers() : null;
    }

    /** The switch was made or given up: drops what is held. */
    void clear() {
        pending = null;
        if (decoded != null) {
            decoded.release();
            decoded = null;
        }
    }
}
