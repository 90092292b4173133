package dev.saker.server.http2;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.MutableHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Map;

/**
 * The request head of one stream, taken from its HEADERS frame: the pseudo-header fields become the
 * method, target and authority; the regular fields become {@link #headers}, with {@code host} added
 * from {@code :authority} when the client sent none (HTTP/1.1 code looks for it).
 */
final class Http2Request {

    final String method;
    final String target;
    final String rawPath;
    final String rawQuery;
    final String host;
    final boolean head;
    final long contentLength;
    final MutableHeaders headers = new MutableHeaders();

    /**
     * Netty's decoder has already refused what it checks (field name syntax, uppercase names,
     * connection-specific fields, {@code te} other than {@code trailers}, unknown, duplicated or
     * misplaced pseudo-header fields, an empty {@code :path}, content-length against the DATA);
     * this checks the rest of RFC 9113 §8.2.1 and §8.3.
     *
     * @throws BadRequestException when the request is malformed (RFC 9113 §8.1.1): a required
     *         pseudo-header field missing, a CONNECT with {@code :scheme} or {@code :path} or
     *         without {@code :authority}, a field value with a NUL, CR or LF or starting or ending
     *         with whitespace, {@code host} naming another authority, an unparseable content-length
     */
    Http2Request(Http2Headers frame) throws BadRequestException {
        CharSequence m = frame.method();
        CharSequence p = frame.path();
        CharSequence a = frame.authority();
        if (m == null) {
            throw malformed("h2_no_method", "request without :method");
        }
        method = m.toString();
        head = "HEAD".equals(method);
        String authority = a == null ? null : a.toString();
        if ("CONNECT".equals(method)) {
            // RFC 9113 §8.5: the target is :authority alone.
            if (frame.scheme() != null || p != null) {
                throw malformed("h2_connect_fields", "CONNECT with :scheme or :path");
            }
            if (authority == null) {
                throw malformed("h2_connect_authority", "CONNECT without :authority");
            }
            target = authority;
            rawPath = "";
            rawQuery = null;
        } else {
            if (frame.scheme() == null) {
                throw malformed("h2_no_scheme", "request without :scheme");
            }
            if (p == null || p.length() == 0) {
                throw malformed("h2_no_path", "request without :path");
            }
            target = p.toString();
            int q = target.indexOf('?');
            rawPath = q < 0 ? target : target.substring(0, q);
            rawQuery = q < 0 ? null : target.substring(q + 1);
        }
        try {
            for (Map.Entry<CharSequence, CharSequence> field : frame) {
                CharSequence name = field.getKey();
                if (name.length() > 0 && name.charAt(0) != ':') {
                    String value = field.getValue().toString();
                    checkValue(name, value);
                    headers.add(name.toString(), value);
                }
            }
        } catch (IllegalArgumentException e) {
            throw malformed("h2_bad_field", e.getMessage());
        }
        String hostField = headers.get("host");
        if (authority != null) {
            if (hostField == null) {
                headers.add("host", authority);
            } else if (!hostField.equalsIgnoreCase(authority)) {
                // RFC 9113 §8.3.1: a server SHOULD treat a host naming another entity as malformed.
                throw malformed("h2_host_mismatch", "host differs from :authority");
            }
        }
        String effectiveHost = authority != null ? authority : hostField;
        host = effectiveHost == null ? null : withoutPort(effectiveHost);
        String length = headers.get("content-length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw malformed("h2_bad_length", "content-length is not a number");
            }
        }
        contentLength = declared;
    }

    /** RFC 9113 §8.2.1: no NUL, CR or LF anywhere, no SP or HTAB at either end. */
    private static void checkValue(CharSequence name, String value) throws BadRequestException {
        int n = value.length();
        if (n > 0 && (isBlank(value.charAt(0)) || isBlank(value.charAt(n - 1)))) {
            throw malformed("h2_bad_field", "field '" + name + "' starts or ends with whitespace");
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                throw malformed("h2_bad_field", "field '" + name + "' has a NUL, CR or LF");
            }
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** A malformed request: the stream handler resets the stream with PROTOCOL_ERROR. */
    private static BadRequestException malformed(String reason, String message) {
        return new BadRequestException(400, reason, message);
    }

    private static String withoutPort(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }
}
