package dev.saker.server.http1;

import dev.saker.server.http.BadRequestException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Takes every data byte of a chunked body that is buffered, across as many chunks as the input
 * holds, as one buffer: a body sent as many tiny chunks costs one hand-off to its reader per read
 * batch, not one per chunk. A single chunk's data is a slice of the input (no copy); bytes of
 * several chunks are copied together.
 */
final class BodyBatch {

    private final ChunkedDecoder decoder;
    private boolean ended;

    BodyBatch(ChunkedDecoder decoder) {
        this.decoder = decoder;
    }

    /** @return whether the last {@link #take} reached the end of the body (trailers included) */
    boolean ended() {
        return ended;
    }

    /**
     * @param max the most data bytes to take (at least 1)
     * @return the data taken (owned by the caller), an empty buffer when only the end was found,
     *         or {@code null} when more input is needed first
     */
    ByteBuf take(ByteBuf in, int max, ByteBufAllocator alloc) throws BadRequestException {
        ended = false;
        ByteBuf out = null;
        boolean copying = false;
        int total = 0;
        try {
            while (total < max) {
                long n = decoder.advance(in);
                if (n < 0) {
                    ended = true;
                    return out != null ? out : Unpooled.EMPTY_BUFFER;
                }
                if (n == 0) {
                    break;
                }
                int take = (int) Math.min(n, max - total);
                if (out == null) {
                    out = in.readRetainedSlice(take);
                } else {
                    if (!copying) {
                        ByteBuf joined = alloc.buffer((int) Math.min(max, (long) out.readableBytes() + in.readableBytes()));
                        joined.writeBytes(out);
                        out.release();
                        out = joined;
                        copying = true;
                    }
                    out.writeBytes(in, take);
                }
                decoder.consumed(take);
                total += take;
            }
            return out;
        } catch (BadRequestException e) {
            if (out != null) {
                out.release();
            }
            throw e;
        }
    }
}
