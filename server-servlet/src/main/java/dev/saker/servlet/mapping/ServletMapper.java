package dev.saker.servlet.mapping;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps context-relative paths to servlets by the rules of Servlet 6.1 section 12.1: exact match,
 * then the longest path prefix, then the extension of the last segment, then the default servlet.
 * Built once the context has started; immutable and safe to share afterwards.
 */
public final class ServletMapper {

    private final Map<String, String> exact = new HashMap<>();
    /** Longest prefix first. */
    private final TreeMap<String, String> prefixes = new TreeMap<>((a, b) -> a.length() != b.length()
            ? Integer.compare(b.length(), a.length()) : a.compareTo(b));
    private final Map<String, String> extensions = new HashMap<>();
    private String contextRoot;
    private String defaultServlet;

    /**
     * Adds a mapping.
     *
     * @throws IllegalStateException when the pattern is already mapped to another servlet
     */
    public void add(String pattern, String servletName) {
        UrlPattern p = UrlPattern.parse(pattern);
        String previous;
        switch (p.kind()) {
            case CONTEXT_ROOT:
                previous = contextRoot;
                contextRoot = servletName;
                break;
            case DEFAULT:
                previous = defaultServlet;
                defaultServlet = servletName;
                break;
            case EXTENSION:
                previous = extensions.put(p.key(), servletName);
                break;
            case PATH:
                previous = prefixes.put(p.key(), servletName);
                break;
            default:
                previous = exact.put(p.key(), servletName);
                break;
        }
        if (previous != null && !previous.equals(servletName)) {
            throw new IllegalStateException("URL pattern '" + pattern + "' is mapped to both '" + previous
                    + "' and '" + servletName + "'");
        }
    }

    /** @return whether {@code pattern} is already mapped */
    public boolean isMapped(String pattern) {
        UrlPattern p = UrlPattern.parse(pattern);
        switch (p.kind()) {
            case CONTEXT_ROOT: return contextRoot != null;
            case DEFAULT: return defaultServlet != null;
            case EXTENSION: return extensions.containsKey(p.key());
            case PATH: return prefixes.containsKey(p.key());
            default: return exact.containsKey(p.key());
        }
    }

    /**
     * @param path the context-relative, decoded and normalized path ("/" for the context root)
     * @return the match, or {@code null} when no servlet (not even a default) is mapped
     */
    public ServletMatch match(String path) {
        if (path.isEmpty() || path.equals("/")) {
            if (contextRoot != null) {
                return new ServletMatch(contextRoot, "", "/", "", jakarta.servlet.http.MappingMatch.CONTEXT_ROOT, "");
            }
        }
        String name = exact.get(path);
        if (name != null) {
            return new ServletMatch(name, path, null, path, jakarta.servlet.http.MappingMatch.EXACT, path.substring(1));
        }
        for (Map.Entry<String, String> prefix : prefixes.entrySet()) {
            String key = prefix.getKey();
            if (key.isEmpty() || path.equals(key) || (path.startsWith(key) && path.charAt(key.length()) == '/')) {
                String pathInfo = path.length() > key.length() ? path.substring(key.length()) : null;
                String matchValue = key.isEmpty() ? "" : key.substring(1);
                return new ServletMatch(prefix.getValue(), key, pathInfo, key + "/*",
                        jakarta.servlet.http.MappingMatch.PATH, matchValue);
            }
        }
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot > slash) {
            String ext = path.substring(dot + 1);
            name = extensions.get(ext);
            if (name != null) {
                return new ServletMatch(name, path, null, "*." + ext, jakarta.servlet.http.MappingMatch.EXTENSION,
                        path.substring(1, dot));
            }
        }
        if (defaultServlet != null) {
            return new ServletMatch(defaultServlet, path, null, "/", jakarta.servlet.http.MappingMatch.DEFAULT, "");
        }
        return null;
    }
}
