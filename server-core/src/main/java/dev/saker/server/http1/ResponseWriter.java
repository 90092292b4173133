package dev.saker.server.http1;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.http.HttpStatus;
import dev.saker.server.observe.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a connection's responses on the wire: the head, then the body whole (with its length, small
 * bodies in the head's buffer) or streamed (chunked, or up to a declared {@code Content-Length},
 * which it enforces), the {@code 100 Continue} interim response and the answer to a rejected head.
 * Owns the framing state of the current response and whether output awaits a flush; the connection
 * decides when to flush. Loop only.
 */
final class ResponseWriter {

    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);

    private final Http1Runtime rt;
    private final LoopContext loopContext;
    private final KeepAlivePolicy keepAlive;
    private ChannelHandlerContext ctx;

    private boolean needsFlush;
    private boolean headWritten;
    private boolean chunkedResponse;
    private boolean bodyAllowed;
    private boolean crlfOwed;
    private long declaredLength;
    private long streamedBytes;
    /** Body bytes of the current response handed to the channel (for the access log). */
    private long bodyBytes;

    ResponseWriter(Http1Runtime rt, LoopContext loopContext, KeepAlivePolicy keepAlive) {
        this.rt = rt;
        this.loopContext = loopContext;
        this.keepAlive = keepAlive;
    }

    /** Binds the writer to its channel; called once, when the handler is added. */
    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** A new exchange begins: no head is out yet. */
    void begin() {
        headWritten = false;
        crlfOwed = false;
        streamedBytes = 0;
        bodyBytes = 0;
    }

    /** @return body bytes of the current response written so far */
    long bodyBytes() {
        return bodyBytes;
    }

    /** @return whether the current response's head has been written */
    boolean headWritten() {
        return headWritten;
    }

    /** Writes a whole response: head and body in as few buffers as possible. */
    void writeWhole(Http1Exchange ex, ByteBuf content, byte[] array) {
        int status = ex.status();
        long length = content != null ? content.readableBytes() : array != null ? array.length : 0;
        bodyAllowed = !HttpStatus.isBodyless(status) && !ex.isHead();
        long framing = status == 204 || status == 304 ? ResponseEncoder.NO_LENGTH : length;
        if (ex.isHead() && framing >= 0) {
            // HEAD: the length a GET would have, when the handler declared it (C04).
            long declared = declaredLength(ex);
            framing = declared >= 0 ? declared : length;
        }
        boolean inline = bodyAllowed && (array != null || length <= 1024);
        ByteBuf out = ctx.alloc().ioBuffer(256 + (inline ? (int) length : 0));
        ResponseEncoder.encodeHead(out, status, ex.responseHeaders, framing, keepAlive.connectionField(ex.head),
                loopContext.dateLine(), rt.serverLine);
        if (inline && length > 0) {
            if (array != null) {
                out.writeBytes(array);
            } else {
                out.writeBytes(content);
            }
        }
        headWritten = true;
        if (bodyAllowed) {
            bodyBytes = length;
        }
        write(out);
        if (content != null) {
            if (bodyAllowed && !inline && content.isReadable()) {
                write(content);
            } else {
                content.release();
            }
        }
    }

    /**
     * Writes one streamed piece of the body (and, if {@code last}, its end), the head first if it
     * is not out yet.
     *
     * @return false when the piece takes the body past its declared {@code Content-Length}: it was
     *         released and the response must be aborted
     */
    boolean writeStreamed(Http1Exchange ex, ByteBuf chunk, boolean last) {
        if (!headWritten) {
            writeStreamedHead(ex);
        }
        if (chunk != null) {
            int n = chunk.readableBytes();
            if (!bodyAllowed || n == 0) {
                chunk.release();
            } else if (chunkedResponse) {
                bodyBytes += n;
                ByteBuf header = ctx.alloc().ioBuffer(12);
                if (crlfOwed) {
                    ResponseEncoder.crlf(header);
                }
                ResponseEncoder.chunkHeader(header, n);
                write(header);
                write(chunk);
                crlfOwed = true;
            } else {
                streamedBytes += n;
                if (declaredLength >= 0 && streamedBytes > declaredLength) {
                    chunk.release();
                    log.debug("response body exceeds its declared Content-Length {}; aborting", declaredLength);
                    return false;
                }
                bodyBytes += n;
                write(chunk);
            }
        }
        if (last) {
            if (chunkedResponse) {
                ByteBuf end = ctx.alloc().ioBuffer(16);
                if (crlfOwed) {
                    ResponseEncoder.crlf(end);
                }
                ResponseEncoder.lastChunk(end, ex.trailers);
                write(end);
            } else if (bodyAllowed && declaredLength >= 0 && streamedBytes < declaredLength) {
                // Shorter than declared: the client cannot frame the next response.
                keepAlive.closeAfter(CloseReason.HANDLER_ERROR);
            }
        }
        return true;
    }

    private void writeStreamedHead(Http1Exchange ex) {
        int status = ex.status();
        declaredLength = declaredLength(ex);
        bodyAllowed = !HttpStatus.isBodyless(status) && !ex.isHead();
        long framing;
        if (!bodyAllowed) {
            framing = ex.isHead() && declaredLength >= 0 ? declaredLength : ResponseEncoder.NO_LENGTH;
        } else if (declaredLength >= 0) {
            framing = declaredLength;
        } else if (ex.head.isHttp11()) {
            framing = ResponseEncoder.CHUNKED;
        } else {
            framing = ResponseEncoder.NO_LENGTH;
            keepAlive.closeAfter(CloseReason.SERVER);
        }
        chunkedResponse = framing == ResponseEncoder.CHUNKED;
        ByteBuf out = ctx.alloc().ioBuffer(256);
        ResponseEncoder.encodeHead(out, status, ex.responseHeaders, framing, keepAlive.connectionField(ex.head),
                loopContext.dateLine(), rt.serverLine);
        headWritten = true;
        write(out);
    }

    private static long declaredLength(Http1Exchange ex) {
        String value = ex.responseHeaders.get("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            return length >= 0 ? length : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Writes {@code 101 Switching Protocols} with the exchange's fields: no framing field (the
     * connection is no longer HTTP's after it) and {@code Connection: Upgrade} in place of whatever
     * {@code Connection} field the handler set.
     */
    void writeSwitching(Http1Exchange ex) {
        ByteBuf out = ctx.alloc().ioBuffer(256);
        ResponseEncoder.encodeHead(out, 101, ex.responseHeaders, ResponseEncoder.NO_LENGTH,
                KeepAlivePolicy.FIELD_UPGRADE, loopContext.dateLine(), rt.serverLine);
        headWritten = true;
        write(out);
    }

    /** @return whether {@code 100 Continue} was written (not once a response has started) */
    boolean writeContinue() {
        if (headWritten) {
            return false;
        }
        write(Unpooled.wrappedBuffer(ResponseEncoder.CONTINUE));
        return true;
    }

    /** Writes the bodiless answer to a head that is refused, with {@code Connection: close}. */
    void writeRejection(int status) {
        ByteBuf out = ctx.alloc().ioBuffer(192);
        ResponseEncoder.encodeHead(out, status, NoHeaders.INSTANCE, 0, KeepAlivePolicy.FIELD_CLOSE,
                loopContext.dateLine(), rt.serverLine);
        write(out);
    }

    private void write(ByteBuf buf) {
        rt.stats.sent(buf.readableBytes());
        ctx.write(buf, ctx.voidPromise());
        needsFlush = true;
    }

    /** Flushes what was written since the last flush, if anything. */
    void flush() {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    /** @return whether output awaited a flush; from now on it does not (the caller flushes it its own way) */
    boolean takeFlush() {
        boolean owed = needsFlush;
        needsFlush = false;
        return owed;
    }
}
