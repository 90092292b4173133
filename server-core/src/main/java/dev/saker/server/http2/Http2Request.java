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

    /** @throws BadRequestException when a required pseudo-header is missing or a field is malformed */
    Http2Request(Http2Headers frame) throws BadRequestException {
        CharSequence m = frame.method();
        CharSequence p = frame.path();
        CharSequence a = frame.authority();
        if (m == null) {
            throw new BadRequestException(400, "h2_no_method", "request without :method");
        }
        method = m.toString();
        head = "HEAD".equals(method);
        String authority = a == null ? null : a.toString();
        if ("CONNECT".equals(method)) {
            target = authority == null ? "" : authority;
            rawPath = "";
            rawQuery = null;
        } else {
            if (p == null || p.length() == 0) {
                throw new BadRequestException(400, "h2_no_path", "request without :path");
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
                    headers.add(name.toString(), field.getValue().toString());
                }
            }
            if (authority != null && headers.get("host") == null) {
                headers.add("host", authority);
            }
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(400, "h2_bad_field", e.getMessage());
        }
        String hostField = authority != null ? authority : headers.get("host");
        host = hostField == null ? null : withoutPort(hostField);
        String length = headers.get("content-length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new BadRequestException(400, "h2_bad_length", "content-length is not a number");
            }
        }
        contentLength = declared;
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
