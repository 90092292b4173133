package dev.saker.servlet.response;

import dev.saker.servlet.request.HttpDates;
import jakarta.servlet.http.Cookie;
import java.util.Locale;
import java.util.Map;

/**
 * Formats a {@link Cookie} as a {@code Set-Cookie} value (RFC 6265): every attribute the cookie
 * carries, in the order set (Servlet 6 keeps them in a map, so SameSite and Partitioned pass
 * through), and {@code Expires} beside {@code Max-Age} for old clients.
 */
public final class SetCookieFormatter {

    private SetCookieFormatter() {
    }

    public static String format(Cookie cookie) {
        StringBuilder out = new StringBuilder(64);
        out.append(cookie.getName()).append('=');
        String value = cookie.getValue();
        if (value != null) {
            checkValue(value);
            out.append(value);
        }
        for (Map.Entry<String, String> attribute : cookie.getAttributes().entrySet()) {
            String name = attribute.getKey();
            String v = attribute.getValue();
            String canonical = canonical(name);
            if (v == null) {
                continue;
            }
            if (canonical.equals("Max-Age")) {
                out.append("; Max-Age=").append(v);
                int maxAge = Integer.parseInt(v);
                if (maxAge >= 0) {
                    out.append("; Expires=").append(maxAge == 0 ? "Thu, 01 Jan 1970 00:00:10 GMT"
                            : HttpDates.format(System.currentTimeMillis() + maxAge * 1000L));
                }
                continue;
            }
            checkValue(v);
            if (isFlag(canonical)) {
                // A flag set as "true" (Boot's Partitioned) or "" is present; "false" means absent.
                if (!v.equalsIgnoreCase("false")) {
                    out.append("; ").append(canonical);
                }
                continue;
            }
            out.append("; ").append(canonical).append('=').append(v);
        }
        return out.toString();
    }

    private static boolean isFlag(String name) {
        return name.equals("Secure") || name.equals("HttpOnly") || name.equals("Partitioned");
    }

    private static String canonical(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "max-age": return "Max-Age";
            case "domain": return "Domain";
            case "path": return "Path";
            case "secure": return "Secure";
            case "httponly": return "HttpOnly";
            case "samesite": return "SameSite";
            case "partitioned": return "Partitioned";
            case "comment": return "Comment";
            default: return name;
        }
    }

    private static void checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F || c == ';' || c > 0xFF) {
                throw new IllegalArgumentException("cookie value or attribute has a forbidden character at " + i);
            }
        }
    }
}
