package dev.saker.reactive;

import java.util.function.Consumer;
import org.springframework.http.HttpCookie;

/**
 * Parses a {@code Cookie} request field (RFC 6265 §4.2: {@code name=value} pairs separated by
 * {@code ;}), leniently as browsers send it: pairs without {@code =} or with an empty name are
 * skipped, a value in double quotes loses them.
 */
final class CookieParser {

    private CookieParser() {
    }

    static void parse(String field, Consumer<HttpCookie> sink) {
        int start = 0;
        int length = field.length();
        while (start < length) {
            int end = field.indexOf(';', start);
            if (end < 0) {
                end = length;
            }
            int eq = field.indexOf('=', start);
            if (eq > start && eq < end) {
                String name = field.substring(start, eq).trim();
                String value = field.substring(eq + 1, end).trim();
                if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
                    value = value.substring(1, value.length() - 1);
                }
                if (!name.isEmpty()) {
                    sink.accept(new HttpCookie(name, value));
                }
            }
            start = end + 1;
        }
    }
}
