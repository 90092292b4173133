package dev.saker.websocket.path;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code @ServerEndpoint} path (Jakarta WebSocket 2.2, 3.1.1): segments that are literal or a
 * whole-segment variable {@code {name}}. Parsed once at registration; matching walks the segments
 * without regular expressions.
 */
public final class UriTemplate implements Comparable<UriTemplate> {

    private final String path;
    private final String[] segments;
    /** For each segment, the variable's name, or {@code null} for a literal. */
    private final String[] variables;

    private UriTemplate(String path, String[] segments, String[] variables) {
        this.path = path;
        this.segments = segments;
        this.variables = variables;
    }

    /**
     * @throws IllegalArgumentException for a path not starting with {@code /}, an empty segment, a
     *         variable that is not a whole segment, or a variable named twice
     */
    public static UriTemplate parse(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("an endpoint path must start with '/': " + path);
        }
        if (path.equals("/")) {
            return new UriTemplate(path, new String[0], new String[0]);
        }
        String[] segments = path.substring(1).split("/", -1);
        String[] variables = new String[segments.length];
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("an endpoint path may not have an empty segment: " + path);
            }
            if (segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2) {
                String name = segment.substring(1, segment.length() - 1);
                if (name.indexOf('{') >= 0 || name.indexOf('}') >= 0 || seen.contains(name)) {
                    throw new IllegalArgumentException("invalid path variable '" + segment + "' in " + path);
                }
                seen.add(name);
                variables[i] = name;
            } else if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
                throw new IllegalArgumentException("a path variable must be a whole segment: " + path);
            }
        }
        return new UriTemplate(path, segments, variables);
    }

    public String path() {
        return path;
    }

    /** @return whether the template has no variable */
    public boolean exact() {
        for (String v : variables) {
            if (v != null) {
                return false;
            }
        }
        return true;
    }

    /** @return the variables and their values when {@code requestPath} matches, else {@code null} */
    public Map<String, String> match(String[] requestSegments) {
        if (requestSegments.length != segments.length) {
            return null;
        }
        Map<String, String> values = null;
        for (int i = 0; i < segments.length; i++) {
            if (variables[i] == null) {
                if (!segments[i].equals(requestSegments[i])) {
                    return null;
                }
            } else {
                if (requestSegments[i].isEmpty()) {
                    return null;
                }
                if (values == null) {
                    values = new LinkedHashMap<>();
                }
                values.put(variables[i], requestSegments[i]);
            }
        }
        return values == null ? Map.of() : values;
    }

    /** Splits a decoded request path into segments the way {@link #match} expects them. */
    public static String[] segments(String requestPath) {
        if (requestPath.isEmpty() || requestPath.equals("/")) {
            return new String[0];
        }
        return requestPath.substring(1).split("/", -1);
    }

    /** @return whether both templates match exactly the same paths ({@code /a/{x}} and {@code /a/{y}}) */
    public boolean equivalent(UriTemplate other) {
        return compareTo(other) == 0 && segments.length == other.segments.length;
    }

    /**
     * Precedence (3.1.1): more segments is no better, so templates of the same length compare
     * segment by segment from the left, a literal beating a variable at the first difference.
     */
    @Override
    public int compareTo(UriTemplate other) {
        int n = Math.min(segments.length, other.segments.length);
        for (int i = 0; i < n; i++) {
            boolean mineLiteral = variables[i] == null;
            boolean theirsLiteral = other.variables[i] == null;
            if (mineLiteral != theirsLiteral) {
                return mineLiteral ? -1 : 1;
            }
            if (mineLiteral) {
                int c = segments[i].compareTo(other.segments[i]);
                if (c != 0) {
                    return c;
                }
            }
        }
        return Integer.compare(segments.length, other.segments.length);
    }

    @Override
    public String toString() {
        return path;
    }
}
