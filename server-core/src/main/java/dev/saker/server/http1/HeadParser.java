package dev.saker.server.http1;

import static dev.saker.server.http1.ByteClasses.FIELD_VALUE;
import static dev.saker.server.http1.ByteClasses.HEX;
import static dev.saker.server.http1.ByteClasses.HOST;
import static dev.saker.server.http1.ByteClasses.TARGET;
import static dev.saker.server.http1.ByteClasses.TCHAR;
import static dev.saker.server.http1.ByteClasses.is;

import dev.saker.server.http.BadRequestException;
import io.netty.buffer.ByteBuf;

/**
 * Incremental, strict request-head parser (RFC 9112 section 2-6). It works in place on the
 * received buffer: the head starts at the buffer's reader index and is not consumed until it is
 * complete, so a head split across any number of reads parses to the same result as one read whole.
 * Each call scans only bytes it has not seen. Malformed input throws {@link BadRequestException}
 * with the status to answer; the connection must then close.
 */
final class HeadParser {

    private static final long HTTP_1_1 = asciiLong("HTTP/1.1");
    private static final long HTTP_1_0 = asciiLong("HTTP/1.0");

    private static final int START = 0;
    private static final int FIELDS = 1;

    private final int maxHeadSize;
    private final int maxFieldCount;
    private final boolean allowBareLf;

    private int phase;
    private int lineStart;
    private int scanned;
    private final TransferCodings codings = new TransferCodings();
    private final FieldLine line = new FieldLine();
    private boolean unsupportedExpectation;

    HeadParser(int maxHeadSize, int maxFieldCount, boolean allowBareLf) {
        this.maxHeadSize = maxHeadSize;
        this.maxFieldCount = maxFieldCount;
        this.allowBareLf = allowBareLf;
    }

    void reset() {
        phase = START;
        lineStart = 0;
        scanned = 0;
        codings.reset();
        unsupportedExpectation = false;
    }

    /**
     * Parses as far as the readable bytes go.
     *
     * @return true when the head is complete ({@code head.length} bytes from the reader index)
     */
    boolean parse(ByteBuf buf, RequestHead head) throws BadRequestException {
        int base = buf.readerIndex();
        int available = buf.readableBytes();
        int limit = Math.min(available, maxHeadSize);
        head.buf = buf;
        head.base = base;
        while (true) {
            int lf = scanned < limit ? buf.indexOf(base + scanned, base + limit, (byte) '\n') : -1;
            if (lf < 0) {
                scanned = limit;
                if (available >= maxHeadSize) {
                    throw phase == FIELDS
                            ? new BadRequestException(431, "head_too_large", "request head larger than " + maxHeadSize + " bytes")
                            : new BadRequestException(414, "uri_too_long", "request line longer than " + maxHeadSize + " bytes");
                }
                return false;
            }
            int lfRel = lf - base;
            int lineEnd = lfRel;
            if (lfRel > lineStart && buf.getByte(lf - 1) == '\r') {
                lineEnd = lfRel - 1;
            } else if (!allowBareLf) {
                throw bad("bare_lf", "line ended by LF without CR");
            }
            scanned = lfRel + 1;
            int start = lineStart;
            lineStart = scanned;
            if (phase == START) {
                if (lineEnd > start) {
                    requestLine(buf, base, start, lineEnd, head);
                    phase = FIELDS;
                }
            } else if (lineEnd == start) {
                finish(buf, head);
                head.length = scanned;
                return true;
            } else {
                field(buf, base, start, lineEnd, head);
            }
        }
    }

    private void requestLine(ByteBuf buf, int base, int start, int end, RequestHead head) throws BadRequestException {
        int p = start;
        while (p < end && is(buf.getByte(base + p), TCHAR)) {
            p++;
        }
        if (p == start || p >= end || buf.getByte(base + p) != ' ') {
            throw bad("method", "method is not a token followed by one space");
        }
        head.method = Methods.lookup(buf, base + start, p - start);
        int targetStart = ++p;
        while (p < end) {
            byte b = buf.getByte(base + p);
            if (b == ' ') {
                break;
            }
            if (!is(b, TARGET)) {
                throw bad("target", "request target has a forbidden byte 0x" + Integer.toHexString(b & 0xFF));
            }
            if (b == '%' && (p + 2 >= end || !is(buf.getByte(base + p + 1), HEX) || !is(buf.getByte(base + p + 2), HEX))) {
                throw bad("target", "request target has an invalid percent-escape");
            }
            p++;
        }
        if (p == targetStart || p >= end) {
            throw bad("request_line", "request line is not 'method SP target SP version'");
        }
        head.targetStart = targetStart;
        head.targetEnd = p;
        version(buf, base + p + 1, end - p - 1, head);
        targetForm(buf, base, head);
    }

    private static void version(ByteBuf buf, int index, int length, RequestHead head) throws BadRequestException {
        if (length == 8) {
            long word = buf.getLong(index);
            if (word == HTTP_1_1) {
                head.version = RequestHead.HTTP_1_1;
                return;
            }
            if (word == HTTP_1_0) {
                head.version = RequestHead.HTTP_1_0;
                return;
            }
            if (buf.getByte(index) == 'H' && buf.getByte(index + 1) == 'T' && buf.getByte(index + 2) == 'T'
                    && buf.getByte(index + 3) == 'P' && buf.getByte(index + 4) == '/'
                    && isDigit(buf.getByte(index + 5)) && buf.getByte(index + 6) == '.' && isDigit(buf.getByte(index + 7))) {
                if (buf.getByte(index + 5) == '1') {
                    // RFC 9110 2.5: a higher 1.x minor is answered as the highest we speak.
                    head.version = RequestHead.HTTP_1_1;
                    return;
                }
                throw new BadRequestException(505, "version_unsupported", "only HTTP/1.0 and HTTP/1.1 are served");
            }
        }
        throw bad("version", "malformed HTTP version");
    }

    private static void targetForm(ByteBuf buf, int base, RequestHead head) throws BadRequestException {
        int start = head.targetStart;
        int end = head.targetEnd;
        byte first = buf.getByte(base + start);
        if (first == '/') {
            pathAndQuery(buf, base, start, end, head);
            return;
        }
        if (first == '*' && end - start == 1) {
            if (head.method != Methods.OPTIONS) {
                throw bad("target", "asterisk-form is only for OPTIONS");
            }
            head.pathStart = start;
            head.pathEnd = end;
            return;
        }
        int authority = schemeEnd(buf, base, start, end);
        if (authority > 0) {
            int p = authority;
            while (p < end) {
                byte b = buf.getByte(base + p);
                if (b == '/' || b == '?') {
                    break;
                }
                p++;
            }
            checkAuthority(buf, base, authority, p);
            head.authorityStart = authority;
            head.authorityEnd = p;
            pathAndQuery(buf, base, p, end, head);
            return;
        }
        if (head.method == Methods.CONNECT) {
            checkAuthority(buf, base, start, end);
            head.authorityStart = start;
            head.authorityEnd = end;
            head.pathStart = end;
            head.pathEnd = end;
            return;
        }
        throw bad("target", "request target is not in origin, absolute or asterisk form");
    }

    /** @return the offset just after "scheme://", or -1 when the target has no scheme */
    private static int schemeEnd(ByteBuf buf, int base, int start, int end) {
        int p = start;
        while (p < end) {
            byte b = buf.getByte(base + p);
            boolean alpha = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
            if (alpha || (p > start && (isDigit(b) || b == '+' || b == '-' || b == '.'))) {
                p++;
                continue;
            }
            break;
        }
        if (p == start || p + 3 > end || buf.getByte(base + p) != ':' || buf.getByte(base + p + 1) != '/'
                || buf.getByte(base + p + 2) != '/') {
            return -1;
        }
        return p + 3;
    }

    private static void checkAuthority(ByteBuf buf, int base, int start, int end) throws BadRequestException {
        if (start == end) {
            throw bad("target", "empty authority");
        }
        for (int p = start; p < end; p++) {
            if (!is(buf.getByte(base + p), HOST)) {
                throw bad("target", "authority has a forbidden byte (userinfo is not accepted)");
            }
        }
    }

    private static void pathAndQuery(ByteBuf buf, int base, int start, int end, RequestHead head) {
        head.pathStart = start;
        int question = buf.indexOf(base + start, base + end, (byte) '?');
        if (question < 0) {
            head.pathEnd = end;
        } else {
            head.pathEnd = question - base;
            head.queryStart = question - base + 1;
        }
    }

    private void field(ByteBuf buf, int base, int start, int end, RequestHead head) throws BadRequestException {
        line.parse(buf, base + start, base + end);
        if (head.fieldCount == maxFieldCount) {
            throw new BadRequestException(431, "too_many_fields", "more than " + maxFieldCount + " header fields");
        }
        int valueStart = line.valueStart - base;
        int valueEnd = line.valueEnd - base;
        head.addField(start, line.nameEnd - base, valueStart, valueEnd);
        framingField(buf, base, head, head.fieldCount - 1, valueStart, valueEnd);
    }

    private void framingField(ByteBuf buf, int base, RequestHead head, int index, int valueStart, int valueEnd)
            throws BadRequestException {
        switch (head.fields[index * 4 + 1] - head.fields[index * 4]) {
            case 4:
                if (head.nameEquals(index, "Host")) {
                    if (head.hostField >= 0) {
                        throw bad("host", "more than one Host field");
                    }
                    head.hostField = index;
                    for (int i = valueStart; i < valueEnd; i++) {
                        if (!is(buf.getByte(base + i), HOST)) {
                            throw bad("host", "Host is not a valid authority");
                        }
                    }
                }
                break;
            case 6:
                if (head.nameEquals(index, "Expect")) {
                    if (!equalsIgnoreCase(buf, base + valueStart, valueEnd - valueStart, "100-continue")) {
                        unsupportedExpectation = true;
                    } else {
                        head.expectContinue = true;
                    }
                }
                break;
            case 7:
                if (head.nameEquals(index, "Upgrade")) {
                    head.upgrade = true;
                }
                break;
            case 10:
                if (head.nameEquals(index, "Connection")) {
                    connectionOptions(buf, base, valueStart, valueEnd, head);
                }
                break;
            case 14:
                if (head.nameEquals(index, "Content-Length")) {
                    if (head.contentLength >= 0) {
                        throw bad("content_length", "more than one Content-Length");
                    }
                    head.contentLength = contentLength(buf, base + valueStart, valueEnd - valueStart);
                }
                break;
            case 17:
                if (head.nameEquals(index, "Transfer-Encoding")) {
                    codings.add(buf, base + valueStart, base + valueEnd);
                }
                break;
            default:
                break;
        }
    }

    private static long contentLength(ByteBuf buf, int index, int length) throws BadRequestException {
        if (length == 0 || length > 19) {
            throw bad("content_length", "Content-Length is not a number of at most 19 digits");
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            byte b = buf.getByte(index + i);
            if (!isDigit(b)) {
                throw bad("content_length", "Content-Length is not a plain decimal number");
            }
            value = value * 10 + (b - '0');
            if (value < 0) {
                throw bad("content_length", "Content-Length overflows");
            }
        }
        return value;
    }

    private static void connectionOptions(ByteBuf buf, int base, int start, int end, RequestHead head) {
        int p = start;
        while (p < end) {
            int comma = buf.indexOf(base + p, base + end, (byte) ',');
            int itemEnd = comma < 0 ? end : comma - base;
            int s = p;
            int e = itemEnd;
            while (s < e && isWhitespace(buf.getByte(base + s))) {
                s++;
            }
            while (e > s && isWhitespace(buf.getByte(base + e - 1))) {
                e--;
            }
            if (equalsIgnoreCase(buf, base + s, e - s, "close")) {
                head.connectionClose = true;
            } else if (equalsIgnoreCase(buf, base + s, e - s, "keep-alive")) {
                head.connectionKeepAlive = true;
            }
            p = itemEnd + 1;
        }
    }

    private void finish(ByteBuf buf, RequestHead head) throws BadRequestException {
        if (head.isHttp11() && head.hostField < 0) {
            throw bad("host", "HTTP/1.1 request without Host");
        }
        if (codings.present()) {
            if (!head.isHttp11()) {
                throw bad("transfer_encoding", "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (head.contentLength >= 0) {
                throw bad("transfer_encoding", "both Content-Length and Transfer-Encoding");
            }
            codings.check();
            head.chunked = true;
        }
        if (unsupportedExpectation && head.isHttp11()) {
            throw new BadRequestException(417, "expectation", "only the 100-continue expectation is supported");
        }
        if (!head.isHttp11()) {
            head.expectContinue = false;
        }
    }

    static boolean equalsIgnoreCase(ByteBuf buf, int index, int length, String ascii) {
        if (length != ascii.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (ByteClasses.lower(buf.getByte(index + i)) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static BadRequestException bad(String reason, String message) {
        return new BadRequestException(400, reason, message);
    }

    private static long asciiLong(String s) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | s.charAt(i);
        }
        return v;
    }
}
