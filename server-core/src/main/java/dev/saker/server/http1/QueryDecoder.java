package dev.saker.server.http1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percent-decoding of paths and query strings (UTF-8), and query splitting into ordered multi-maps. */
public final class QueryDecoder {

    private QueryDecoder() {
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8 (malformed sequences become U+FFFD).
     *
     * @param plusIsSpace whether {@code +} means a space (query strings, form bodies)
     * @throws IllegalArgumentException on an escape that is not {@code %} and two hex digits
     */
    public static String decode(String s, boolean plusIsSpace) {
        int firstSpecial = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || (plusIsSpace && c == '+')) {
                firstSpecial = i;
                break;
            }
        }
        if (firstSpecial < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("incomplete percent-escape at " + i);
                }
                int hi = hexDigit(s.charAt(i + 1));
                int lo = hexDigit(s.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid percent-escape at " + i);
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else if (plusIsSpace && c == '+') {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                // A surrogate pair is one character: encoded alone, each half would become '?'.
                int end = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1)) ? i + 2 : i + 1;
                byte[] utf8 = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
                i = end - 1;
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    /**
     * @return the value of an ASCII hex digit (RFC 3986 HEXDIG), or -1; unlike {@link Character#digit},
     *         the digits of other scripts are not hex digits
     */
    public static int hexDigit(char c) {
        return c < 0x80 ? ByteClasses.hexValue((byte) c) : -1;
    }

    /**
     * Splits {@code a=1&b=2&a=3} into an ordered multi-map. A name without {@code =} has the value "".
     *
     * @param decode whether names and values are percent-decoded ({@code +} as space)
     */
    public static Map<String, List<String>> parse(String query, boolean decode) {
        if (query == null || query.isEmpty()) {
            return Collections.emptyMap();
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            if (end > start) {
                int eq = query.indexOf('=', start);
                String name;
                String value;
                if (eq < 0 || eq > end) {
                    name = query.substring(start, end);
                    value = "";
                } else {
                    name = query.substring(start, eq);
                    value = query.substring(eq + 1, end);
                }
                if (decode) {
                    name = decode(name, true);
                    value = decode(value, true);
                }
                params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        return params;
    }
}
