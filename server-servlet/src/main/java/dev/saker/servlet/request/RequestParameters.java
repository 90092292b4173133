package dev.saker.servlet.request;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request parameters: the query string (UTF-8) merged with an
 * {@code application/x-www-form-urlencoded} body (in the request's character encoding) or multipart
 * text fields, query values first (Servlet 6.1, 3.1). Parsed once, on first use. At most
 * {@link #maxCount} parameters, counted as they are read (more: {@link FormException} 413).
 */
public final class RequestParameters {

    private Map<String, String[]> merged;
    private int maxCount = -1;
    private int count;

    /** Adds multipart form fields before the parameters are frozen (called while parsing parts). */
    private Map<String, List<String>> extra;

    public boolean parsed() {
        return merged != null;
    }

    /** @param max most parameters (query, form and multipart fields together); negative: unlimited */
    public void maxCount(int max) {
        this.maxCount = max;
    }

    /** Counts one more parameter; past the limit the request is refused (before anything more is read). */
    public void countOne() {
        if (maxCount >= 0 && ++count > maxCount) {
            throw new FormException(413, "request too large: more than " + maxCount
                    + " parameters (saker.server.max-parameter-count)");
        }
    }

    /** Adds a multipart text field, already counted with {@link #countOne()}. */
    public void addExtra(String name, String value) {
        if (extra == null) {
            extra = new LinkedHashMap<>();
        }
        extra.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    /**
     * @param query the raw query string, or {@code null}
     * @param form the form body stream, or {@code null} when the request carries no form
     * @param maxFormBytes largest form body read (-1: unlimited); past it a {@link FormException} 413
     */
    public void parse(String query, InputStream form, Charset charset, long maxFormBytes) throws IOException {
        Map<String, List<String>> all = new LinkedHashMap<>();
        addDecoded(query, StandardCharsets.UTF_8, all);
        if (form != null) {
            addDecoded(new String(readLimited(form, maxFormBytes), StandardCharsets.ISO_8859_1), charset, all);
        }
        if (extra != null) {
            extra.forEach((name, values) -> all.computeIfAbsent(name, k -> new ArrayList<>()).addAll(values));
        }
        Map<String, String[]> frozen = new LinkedHashMap<>();
        all.forEach((k, v) -> frozen.put(k, v.toArray(new String[0])));
        merged = Collections.unmodifiableMap(frozen);
    }

    /**
     * Adds the pairs of {@code a=1&b=2} in the order sent. Names are decoded one by one, before
     * grouping: {@code a=1&%61=2&a=3} gives {@code a} the values 1, 2, 3 in that order.
     */
    private void addDecoded(String raw, Charset charset, Map<String, List<String>> into) {
        if (raw == null) {
            return;
        }
        for (String item : raw.split("&")) {
            if (!item.isEmpty()) {
                countOne();
                int eq = item.indexOf('=');
                String name = decode(eq < 0 ? item : item.substring(0, eq), charset);
                String value = eq < 0 ? "" : decode(item.substring(eq + 1), charset);
                into.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
    }

    /** Freezes an empty parameter set (parsing failed: the spec says parameters are then empty). */
    public void parseFailed() {
        merged = Collections.emptyMap();
    }

    public Map<String, String[]> map() {
        return merged;
    }

    /**
     * Percent-decodes with {@code +} as space in the given charset; a bad escape keeps the raw text.
     * {@code raw} is text as received, one char per byte (ISO-8859-1), so a byte sent unescaped is
     * decoded in the charset too.
     */
    static String decode(String raw, Charset charset) {
        if (plain(raw)) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%' && i + 2 < raw.length() && Character.digit(raw.charAt(i + 1), 16) >= 0
                    && Character.digit(raw.charAt(i + 2), 16) >= 0) {
                out.write((Character.digit(raw.charAt(i + 1), 16) << 4) | Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else if (c <= 0xFF) {
                out.write(c);
            } else {
                byte[] bytes = String.valueOf(c).getBytes(charset);
                out.write(bytes, 0, bytes.length);
            }
        }
        return new String(out.toByteArray(), charset);
    }

    /** @return whether {@code raw} decodes to itself: ASCII without escapes or '+' */
    private static boolean plain(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' || c == '+' || c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readLimited(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (max >= 0 && total > max) {
                throw new FormException(413, "request too large: form body larger than " + max
                        + " bytes (saker.server.servlet.max-form-size)");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
