package dev.saker.server.http1;

import dev.saker.server.http.BadRequestException;
import io.netty.buffer.ByteBuf;

/**
 * Splits one field line ({@code name ":" OWS value OWS}, RFC 9112 5) and validates it; used for
 * header fields and chunked trailer fields alike. Reused: holds the positions of the last line.
 */
final class FieldLine {

    int nameEnd;
    int valueStart;
    int valueEnd;

    /** Parses [start, end) (absolute indexes, line terminator excluded). */
    void parse(ByteBuf buf, int start, int end) throws BadRequestException {
        byte first = buf.getByte(start);
        if (first == ' ' || first == '\t') {
            throw HeadParser.bad("obs_fold", "field line starts with whitespace (obsolete line folding)");
        }
        int p = start;
        while (p < end && ByteClasses.is(buf.getByte(p), ByteClasses.TCHAR)) {
            p++;
        }
        if (p == start || p == end || buf.getByte(p) != ':') {
            throw HeadParser.bad("field_name", "field name is not a token followed by ':'");
        }
        nameEnd = p++;
        while (p < end && HeadParser.isWhitespace(buf.getByte(p))) {
            p++;
        }
        int e = end;
        while (e > p && HeadParser.isWhitespace(buf.getByte(e - 1))) {
            e--;
        }
        for (int i = p; i < e; i++) {
            if (!ByteClasses.is(buf.getByte(i), ByteClasses.FIELD_VALUE)) {
                throw HeadParser.bad("field_value", "field value has a control byte");
            }
        }
        valueStart = p;
        valueEnd = e;
    }
}
