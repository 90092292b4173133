package dev.saker.servlet.mapping;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.MappingMatch;

/**
 * The result of mapping a path to a servlet: which servlet, how the path splits into servlet path
 * and path info, and the {@link HttpServletMapping} the request reports.
 *
 * @param servletName the matched servlet's name
 * @param servletPath the servlet path ("" for default-to-root and context-root matches of "/")
 * @param pathInfo the path info, or {@code null}
 * @param pattern the URL pattern that matched
 * @param kind how it matched
 * @param matchValue the part of the path that matched, per {@link HttpServletMapping#getMatchValue()}
 */
public record ServletMatch(String servletName, String servletPath, String pathInfo, String pattern,
                           MappingMatch kind, String matchValue) implements HttpServletMapping {

    @Override
    public String getMatchValue() {
        return matchValue;
    }

    @Override
    public String getPattern() {
        return pattern;
    }

    @Override
    public String getServletName() {
        return servletName;
    }

    @Override
    public MappingMatch getMappingMatch() {
        return kind;
    }
}
