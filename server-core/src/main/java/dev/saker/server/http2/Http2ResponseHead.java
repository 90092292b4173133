package dev.saker.server.http2;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns a response's status and fields into an HTTP/2 header block: lower-case names, the
 * connection-specific fields of HTTP/1.1 left out (RFC 9113 section 8.2.2 forbids them), and
 * {@code date} and {@code server} added as on HTTP/1.1.
 */
final class Http2ResponseHead {

    private Http2ResponseHead() {
    }

    /** @return the header block of a response; call on the loop (the date comes from its context) */
    static Http2Headers build(int status, HttpHeaders fields, LoopContext loop, String server) {
        Http2Headers head = new DefaultHttp2Headers(false);
        head.status(Integer.toString(status));
        copy(fields, head);
        byte[] dateLine = loop.dateLine();
        // "Date: " ... "\r\n"
        head.set("date", new String(dateLine, 6, dateLine.length - 8, StandardCharsets.ISO_8859_1));
        if (server != null && !head.contains("server")) {
            head.set("server", server);
        }
        return head;
    }

    /** @return a trailer block */
    static Http2Headers trailers(HttpHeaders fields) {
        Http2Headers block = new DefaultHttp2Headers(false);
        copy(fields, block);
        return block;
    }

    private static void copy(HttpHeaders fields, Http2Headers into) {
        for (int i = 0, n = fields.size(); i < n; i++) {
            String name = fields.name(i).toLowerCase(Locale.ROOT);
            if (!connectionSpecific(name)) {
                into.add(name, fields.value(i));
            }
        }
    }

    private static boolean connectionSpecific(String name) {
        switch (name) {
            case "connection":
            case "keep-alive":
            case "proxy-connection":
            case "transfer-encoding":
            case "upgrade":
                return true;
            default:
                return false;
        }
    }
}
