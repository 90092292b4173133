package dev.saker.server.http1;

import dev.saker.server.http.BadRequestException;
import io.netty.buffer.ByteBuf;

/**
 * Collects the codings of every Transfer-Encoding line of a request and decides whether the body
 * framing is acceptable: chunked exactly once and last (RFC 9112 6.1); any other coding is not
 * implemented (501).
 */
final class TransferCodings {

    private boolean present;
    private int chunkedCount;
    private boolean lastIsChunked;
    private boolean other;

    void reset() {
        present = false;
        chunkedCount = 0;
        lastIsChunked = false;
        other = false;
    }

    boolean present() {
        return present;
    }

    /** Adds the codings of one field line, [start, end) as absolute indexes. */
    void add(ByteBuf buf, int start, int end) throws BadRequestException {
        present = true;
        int p = start;
        while (p <= end) {
            int comma = p < end ? buf.indexOf(p, end, (byte) ',') : -1;
            int itemEnd = comma < 0 ? end : comma;
            int s = p;
            int e = itemEnd;
            while (s < e && (buf.getByte(s) == ' ' || buf.getByte(s) == '\t')) {
                s++;
            }
            while (e > s && (buf.getByte(e - 1) == ' ' || buf.getByte(e - 1) == '\t')) {
                e--;
            }
            if (e > s) {
                coding(buf, s, e);
            }
            p = itemEnd + 1;
        }
    }

    private void coding(ByteBuf buf, int start, int end) throws BadRequestException {
        for (int i = start; i < end; i++) {
            if (!ByteClasses.is(buf.getByte(i), ByteClasses.TCHAR)) {
                throw HeadParser.bad("transfer_encoding", "transfer coding is not a token");
            }
        }
        if (HeadParser.equalsIgnoreCase(buf, start, end - start, "chunked")) {
            chunkedCount++;
            lastIsChunked = true;
        } else {
            other = true;
            lastIsChunked = false;
        }
    }

    void check() throws BadRequestException {
        if (chunkedCount == 0 && !other) {
            throw HeadParser.bad("transfer_encoding", "empty Transfer-Encoding");
        }
        if (chunkedCount > 1) {
            throw HeadParser.bad("transfer_encoding", "chunked applied more than once");
        }
        if (chunkedCount == 1 && !lastIsChunked) {
            throw HeadParser.bad("transfer_encoding", "chunked is not the final transfer coding");
        }
        if (other) {
            throw new BadRequestException(501, "unsupported_coding", "transfer codings other than chunked are not implemented");
        }
    }
}
