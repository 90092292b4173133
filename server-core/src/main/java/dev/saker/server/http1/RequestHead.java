package dev.saker.server.http1;

import dev.saker.server.http.HttpHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed request head: offsets into the received buffer plus the framing facts the connection
 * needs. Strings are made only when asked for. One instance per connection, reset per request.
 */
final class RequestHead implements HttpHeaders {

    static final int HTTP_1_0 = 0;
    static final int HTTP_1_1 = 1;

    ByteBuf buf;
    /** Absolute index of the head's first byte in {@link #buf}; every offset below is relative to it. */
    int base;
    int length;

    String method;
    int targetStart;
    int targetEnd;
    int pathStart;
    int pathEnd;
    int queryStart = -1;
    int authorityStart = -1;
    int authorityEnd = -1;
    int version;

    int[] fields = new int[4 * 16];
    int fieldCount;
    int hostField = -1;

    long contentLength = -1;
    boolean chunked;
    boolean connectionClose;
    boolean connectionKeepAlive;
    boolean expectContinue;
    /** Whether the head has an {@code Upgrade} field (only then is a protocol switch considered). */
    boolean upgrade;

    private String target;
    private String host;

    void reset() {
        buf = null;
        base = 0;
        length = 0;
        method = null;
        queryStart = -1;
        authorityStart = -1;
        authorityEnd = -1;
        fieldCount = 0;
        hostField = -1;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
        upgrade = false;
        target = null;
        host = null;
    }

    void addField(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        int at = fieldCount * 4;
        if (at == fields.length) {
            int[] grown = new int[fields.length * 2];
            System.arraycopy(fields, 0, grown, 0, fields.length);
            fields = grown;
        }
        fields[at] = nameStart;
        fields[at + 1] = nameEnd;
        fields[at + 2] = valueStart;
        fields[at + 3] = valueEnd;
        fieldCount++;
    }

    boolean isHttp11() {
        return version == HTTP_1_1;
    }

    /** @return whether the client asked the connection to stay open after this request */
    boolean wantsKeepAlive() {
        return version == HTTP_1_1 ? !connectionClose : connectionKeepAlive && !connectionClose;
    }

    boolean hasBody() {
        return chunked || contentLength > 0;
    }

    String string(int start, int end) {
        if (FastThreadLocalThread.currentThreadHasFastThreadLocal()) {
            // On the loop Netty decodes through a per-thread scratch array: one allocation, the String.
            return buf.toString(base + start, end - start, StandardCharsets.ISO_8859_1);
        }
        // Elsewhere that scratch array would be a new 1 KiB array per call: copy just the bytes.
        int length = end - start;
        if (length == 0) {
            return "";
        }
        byte[] bytes = new byte[length];
        buf.getBytes(base + start, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    String target() {
        if (target == null) {
            target = string(targetStart, targetEnd);
        }
        return target;
    }

    String host() {
        if (host == null) {
            int start;
            int end;
            if (authorityStart >= 0) {
                start = authorityStart;
                end = authorityEnd;
            } else if (hostField >= 0) {
                start = fields[hostField * 4 + 2];
                end = fields[hostField * 4 + 3];
            } else {
                return null;
            }
            host = stripPort(string(start, end));
        }
        return host;
    }

    private static String stripPort(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.indexOf(']', colon) >= 0) {
            return authority;
        }
        return authority.substring(0, colon);
    }

    /** Case-insensitive comparison of field {@code index}'s name with an ASCII name. */
    boolean nameEquals(int index, String name) {
        int start = fields[index * 4];
        int len = fields[index * 4 + 1] - start;
        if (len != name.length()) {
            return false;
        }
        int abs = base + start;
        for (int i = 0; i < len; i++) {
            byte b = ByteClasses.lower(buf.getByte(abs + i));
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            if (b != c) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int size() {
        return fieldCount;
    }

    @Override
    public String name(int index) {
        checkIndex(index);
        return string(fields[index * 4], fields[index * 4 + 1]);
    }

    @Override
    public String value(int index) {
        checkIndex(index);
        return string(fields[index * 4 + 2], fields[index * 4 + 3]);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= fieldCount) {
            throw new IndexOutOfBoundsException("field " + index + " of " + fieldCount);
        }
    }

    @Override
    public String get(String name) {
        for (int i = 0; i < fieldCount; i++) {
            if (nameEquals(i, name)) {
                return value(i);
            }
        }
        return null;
    }

    @Override
    public boolean contains(String name) {
        for (int i = 0; i < fieldCount; i++) {
            if (nameEquals(i, name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> getAll(String name) {
        List<String> values = null;
        for (int i = 0; i < fieldCount; i++) {
            if (nameEquals(i, name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(value(i));
            }
        }
        return values == null ? Collections.emptyList() : values;
    }

}
