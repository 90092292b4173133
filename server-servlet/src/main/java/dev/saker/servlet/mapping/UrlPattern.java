package dev.saker.servlet.mapping;

import jakarta.servlet.http.MappingMatch;

/**
 * A parsed Servlet URL pattern (Servlet 6.1, 12.2): {@code ""} (context root), {@code "/"} (default),
 * {@code "/path/*"} (prefix), {@code "*.ext"} (extension), anything else starting with {@code /}
 * (exact).
 */
public record UrlPattern(String pattern, MappingMatch kind, String key) {

    /**
     * @throws IllegalArgumentException for a pattern the spec does not allow (e.g. {@code "a/b"})
     */
    public static UrlPattern parse(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("URL pattern is null");
        }
        if (pattern.isEmpty()) {
            return new UrlPattern(pattern, MappingMatch.CONTEXT_ROOT, "");
        }
        if (pattern.equals("/")) {
            return new UrlPattern(pattern, MappingMatch.DEFAULT, "/");
        }
        if (pattern.startsWith("*.") && pattern.indexOf('/') < 0 && pattern.length() > 2) {
            return new UrlPattern(pattern, MappingMatch.EXTENSION, pattern.substring(2));
        }
        if (pattern.startsWith("/") && pattern.endsWith("/*")) {
            return new UrlPattern(pattern, MappingMatch.PATH, pattern.substring(0, pattern.length() - 2));
        }
        if (pattern.startsWith("/") && pattern.indexOf('*') < 0) {
            return new UrlPattern(pattern, MappingMatch.EXACT, pattern);
        }
        throw new IllegalArgumentException("invalid URL pattern '" + pattern + "'");
    }

    /** @return whether {@code path} (context-relative, starting with '/') matches this pattern */
    public boolean matches(String path) {
        switch (kind) {
            case CONTEXT_ROOT:
                return path.equals("/") || path.isEmpty();
            case DEFAULT:
                return true;
            case EXTENSION:
                int slash = path.lastIndexOf('/');
                int dot = path.lastIndexOf('.');
                return dot > slash && path.regionMatches(dot + 1, key, 0, key.length()) && path.length() - dot - 1 == key.length();
            case PATH:
                return key.isEmpty() || path.equals(key) || (path.startsWith(key) && path.charAt(key.length()) == '/');
            default:
                return path.equals(key);
        }
    }
}
