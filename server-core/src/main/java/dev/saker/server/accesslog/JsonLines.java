package dev.saker.server.accesslog;

import java.time.Instant;
import java.util.List;

/**
 * The JSON-lines format: one object per line with fixed field names (see {@code docs/access-log.md});
 * the headers the pattern names are captured too, under {@code request_headers} and
 * {@code response_headers}. Absent values are {@code null}.
 */
final class JsonLines {

    private final List<String> requestNames;
    private final List<String> responseNames;

    JsonLines(AccessLogPattern pattern) {
        this.requestNames = pattern.requestHeaderNames();
        this.responseNames = pattern.responseHeaderNames();
    }

    String format(AccessRecord r) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"time\":");
        string(json, Instant.ofEpochMilli(r.startEpochMillis()).toString());
        json.append(",\"remote\":");
        string(json, r.remote() == null ? null : r.remote().getAddress().getHostAddress());
        json.append(",\"method\":");
        string(json, r.method());
        json.append(",\"target\":");
        string(json, r.target());
        json.append(",\"protocol\":");
        string(json, r.protocol());
        json.append(",\"status\":").append(r.status());
        json.append(",\"bytes\":").append(r.bytes());
        json.append(",\"duration_us\":").append(r.durationNanos() / 1_000);
        json.append(",\"reason\":");
        string(json, r.reason());
        json.append(",\"user\":");
        string(json, r.user());
        json.append(",\"id\":").append(r.id());
        json.append(",\"thread\":");
        string(json, r.thread());
        json.append(",\"request_headers\":");
        headers(json, requestNames, r, true);
        json.append(",\"response_headers\":");
        headers(json, responseNames, r, false);
        return json.append('}').toString();
    }

    private static void headers(StringBuilder json, List<String> names, AccessRecord r, boolean request) {
        json.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            string(json, names.get(i));
            json.append(':');
            string(json, request ? r.requestHeader(i) : r.responseHeader(i));
        }
        json.append('}');
    }

    /** Appends {@code value} as a JSON string (RFC 8259 escapes), or {@code null}. */
    static void string(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
            return;
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
