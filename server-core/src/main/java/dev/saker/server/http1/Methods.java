package dev.saker.server.http1;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Maps method bytes to shared String constants, so the common methods cost no allocation. */
final class Methods {

    static final String GET = "GET";
    static final String HEAD = "HEAD";
    static final String POST = "POST";
    static final String PUT = "PUT";
    static final String DELETE = "DELETE";
    static final String OPTIONS = "OPTIONS";
    static final String PATCH = "PATCH";
    static final String TRACE = "TRACE";
    static final String CONNECT = "CONNECT";

    private static final String[] KNOWN = {GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE, CONNECT};

    private Methods() {
    }

    static String lookup(ByteBuf buf, int index, int length) {
        for (String known : KNOWN) {
            if (known.length() == length && matches(buf, index, known)) {
                return known;
            }
        }
        return buf.toString(index, length, StandardCharsets.US_ASCII);
    }

    private static boolean matches(ByteBuf buf, int index, String known) {
        for (int i = 0; i < known.length(); i++) {
            if (buf.getByte(index + i) != known.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
