package dev.saker.servlet.request;

import jakarta.servlet.http.Cookie;
import java.util.ArrayList;
import java.util.List;

/** Parses {@code Cookie} request fields (RFC 6265 section 4.2), leniently: a bad pair is skipped, not fatal. */
public final class CookieParser {

    private CookieParser() {
    }

    public static Cookie[] parse(List<String> headerValues) {
        List<Cookie> cookies = new ArrayList<>();
        for (String header : headerValues) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (name.isEmpty() || name.startsWith("$")) {
                    continue;
                }
                try {
                    cookies.add(new Cookie(name, value));
                } catch (IllegalArgumentException invalidName) {
                    // Not a token: ignore this pair, keep the others.
                }
            }
        }
        return cookies.toArray(new Cookie[0]);
    }
}
