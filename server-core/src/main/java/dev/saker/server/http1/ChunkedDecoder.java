package dev.saker.server.http1;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.MutableHeaders;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a chunked request body (RFC 9112 7.1) incrementally from the connection's buffer.
 * Framing lines (chunk size, the CRLF after data, trailer fields) are consumed only once complete,
 * so any split of the input decodes the same way. Data is never copied: the caller slices it.
 */
final class ChunkedDecoder {

    /** Longest chunk-size line we accept: 16 hex digits plus the extension budget. */
    private static final int MAX_SIZE_DIGITS = 16;

    private static final int SIZE = 0;
    private static final int DATA = 1;
    private static final int DATA_END = 2;
    private static final int TRAILERS = 3;
    private static final int DONE = 4;

    private final int maxExtensionBytes;
    private final int maxTrailerBytes;
    private final int maxTrailerCount;
    private final boolean allowBareLf;
    private final FieldLine line = new FieldLine();

    private int state;
    private long remaining;
    private int extensionBytes;
    private int trailerBytes;
    private MutableHeaders trailers;

    ChunkedDecoder(int maxExtensionBytes, int maxTrailerBytes, int maxTrailerCount, boolean allowBareLf) {
        this.maxExtensionBytes = maxExtensionBytes;
        this.maxTrailerBytes = maxTrailerBytes;
        this.maxTrailerCount = maxTrailerCount;
        this.allowBareLf = allowBareLf;
    }

    void reset() {
        state = SIZE;
        remaining = 0;
        extensionBytes = 0;
        trailerBytes = 0;
        trailers = null;
    }

    boolean done() {
        return state == DONE;
    }

    /** @return the trailer fields received, or {@code null} if there were none */
    MutableHeaders trailers() {
        return trailers;
    }

    /**
     * Consumes framing bytes from {@code in} until chunk data is at its reader index, the body
     * ends, or more input is needed.
     *
     * @return the number of data bytes that may be read at {@code in.readerIndex()} now (&gt; 0),
     *         0 when more input is needed, -1 when the body has ended (trailers included)
     */
    long advance(ByteBuf in) throws BadRequestException {
        while (true) {
            switch (state) {
                case SIZE:
                    if (!sizeLine(in)) {
                        return 0;
                    }
                    break;
                case DATA:
                    int readable = in.readableBytes();
                    return readable == 0 ? 0 : Math.min(readable, remaining);
                case DATA_END:
                    if (!dataEnd(in)) {
                        return 0;
                    }
                    break;
                case TRAILERS:
                    if (!trailerLine(in)) {
                        return 0;
                    }
                    break;
                default:
                    return -1;
            }
        }
    }

    /** Records that {@code n} data bytes (at most what {@link #advance} allowed) were taken. */
    void consumed(long n) {
        remaining -= n;
        if (remaining == 0) {
            state = DATA_END;
        }
    }

    private boolean sizeLine(ByteBuf in) throws BadRequestException {
        int start = in.readerIndex();
        int maxLine = MAX_SIZE_DIGITS + 2 + (maxExtensionBytes - extensionBytes);
        int lf = in.indexOf(start, start + Math.min(in.readableBytes(), maxLine), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= maxLine) {
                throw HeadParser.bad("chunk_size", "chunk size line too long");
            }
            return false;
        }
        int end = lineEnd(in, start, lf);
        long size = 0;
        int p = start;
        while (p < end && ByteClasses.is(in.getByte(p), ByteClasses.HEX)) {
            if (p - start == MAX_SIZE_DIGITS) {
                throw HeadParser.bad("chunk_size", "chunk size has more than 16 hex digits");
            }
            size = (size << 4) | ByteClasses.hexValue(in.getByte(p));
            p++;
        }
        if (p == start || size < 0) {
            throw HeadParser.bad("chunk_size", "chunk size is not a hexadecimal number");
        }
        if (p < end) {
            extension(in, p, end);
        }
        in.readerIndex(lf + 1);
        if (size == 0) {
            state = TRAILERS;
        } else {
            remaining = size;
            state = DATA;
        }
        return true;
    }

    private void extension(ByteBuf in, int start, int end) throws BadRequestException {
        extensionBytes += end - start;
        if (extensionBytes > maxExtensionBytes) {
            throw HeadParser.bad("chunk_extension", "chunk extensions longer than " + maxExtensionBytes + " bytes");
        }
        int p = start;
        while (p < end && HeadParser.isWhitespace(in.getByte(p))) {
            p++;
        }
        if (p == end || in.getByte(p) != ';') {
            throw HeadParser.bad("chunk_size", "chunk size followed by something other than an extension");
        }
        for (; p < end; p++) {
            if (!ByteClasses.is(in.getByte(p), ByteClasses.FIELD_VALUE)) {
                throw HeadParser.bad("chunk_extension", "chunk extension has a control byte");
            }
        }
    }

    private boolean dataEnd(ByteBuf in) throws BadRequestException {
        int start = in.readerIndex();
        if (in.readableBytes() < 1) {
            return false;
        }
        byte first = in.getByte(start);
        if (first == '\n' && allowBareLf) {
            in.readerIndex(start + 1);
            state = SIZE;
            return true;
        }
        if (first != '\r') {
            throw HeadParser.bad("chunk_data", "chunk data not followed by CRLF");
        }
        if (in.readableBytes() < 2) {
            return false;
        }
        if (in.getByte(start + 1) != '\n') {
            throw HeadParser.bad("chunk_data", "chunk data not followed by CRLF");
        }
        in.readerIndex(start + 2);
        state = SIZE;
        return true;
    }

    private boolean trailerLine(ByteBuf in) throws BadRequestException {
        int start = in.readerIndex();
        int window = Math.min(in.readableBytes(), maxTrailerBytes - trailerBytes);
        int lf = in.indexOf(start, start + window, (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() >= maxTrailerBytes - trailerBytes) {
                throw new BadRequestException(431, "trailers_too_large", "trailer section larger than " + maxTrailerBytes + " bytes");
            }
            return false;
        }
        int end = lineEnd(in, start, lf);
        trailerBytes += lf + 1 - start;
        if (end > start) {
            line.parse(in, start, end);
            addTrailer(in, start);
        } else {
            state = DONE;
        }
        in.readerIndex(lf + 1);
        return true;
    }

    private void addTrailer(ByteBuf in, int start) throws BadRequestException {
        if (trailers == null) {
            trailers = new MutableHeaders();
        }
        if (trailers.size() == maxTrailerCount) {
            throw new BadRequestException(431, "too_many_fields", "more than " + maxTrailerCount + " trailer fields");
        }
        String name = in.toString(start, line.nameEnd - start, StandardCharsets.ISO_8859_1);
        // RFC 9110 6.5.1: framing and routing fields are not allowed in trailers; drop them.
        if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Host")) {
            return;
        }
        trailers.add(name, in.toString(line.valueStart, line.valueEnd - line.valueStart, StandardCharsets.ISO_8859_1));
    }

    private int lineEnd(ByteBuf in, int start, int lf) throws BadRequestException {
        if (lf > start && in.getByte(lf - 1) == '\r') {
            return lf - 1;
        }
        if (!allowBareLf) {
            throw HeadParser.bad("bare_lf", "line ended by LF without CR");
        }
        return lf;
    }
}
