package dev.saker.server.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Reference percent-decoders for the fuzz tests, written for clarity, not speed: an escape is
 * {@code %} and two ASCII hex digits (RFC 3986 HEXDIG), everything else stands for its own bytes.
 */
public final class PercentDecoding {

    private PercentDecoding() {
    }

    /**
     * Strict decoding of a Java string: characters other than escapes stand for their UTF-8 bytes,
     * the result is decoded as UTF-8 (malformed sequences become U+FFFD).
     *
     * @throws IllegalArgumentException on a {@code %} not followed by two hex digits
     */
    public static String strict(String s, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int literalStart = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || (plusIsSpace && c == '+')) {
                out.writeBytes(s.substring(literalStart, i).getBytes(StandardCharsets.UTF_8));
                if (c == '+') {
                    out.write(' ');
                } else if (i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                    out.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                    i += 2;
                } else {
                    throw new IllegalArgumentException("bad escape at " + i);
                }
                literalStart = i + 1;
            }
        }
        out.writeBytes(s.substring(literalStart).getBytes(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Lenient decoding of raw form bytes ({@code +} is a space, a bad escape stays as it is), then
     * decoded in {@code charset}, as the WHATWG urlencoded parser does.
     */
    public static String lenient(byte[] raw, Charset charset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%' && i + 2 < raw.length && hex((char) raw[i + 1]) >= 0 && hex((char) raw[i + 2]) >= 0) {
                out.write(hex((char) raw[i + 1]) << 4 | hex((char) raw[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return new String(out.toByteArray(), charset);
    }

    /** @return the value of an ASCII hex digit, or -1 */
    public static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
