package dev.saker.servlet.context;

import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves and caches the ordered filter list for a dispatch (Servlet 6.1, 6.2.4: URL-pattern
 * mappings first, then servlet-name mappings, each in declaration order). The cache is bounded.
 */
final class FilterChains {

    private static final int MAX_CACHED = 4096;

    private final SakerServletContext context;
    private final Map<String, List<FilterHolder>> cache = new ConcurrentHashMap<>();

    FilterChains(SakerServletContext context) {
        this.context = context;
    }

    List<FilterHolder> filters(DispatcherType type, String path, String servletName) {
        if (context.filterEntries().isEmpty()) {
            return Collections.emptyList();
        }
        String key = type.ordinal() + "|" + servletName + "|" + path;
        List<FilterHolder> chain = cache.get(key);
        if (chain == null) {
            chain = resolve(type, path, servletName);
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(key, chain);
        }
        return chain;
    }

    private List<FilterHolder> resolve(DispatcherType type, String path, String servletName) {
        List<FilterHolder> chain = new ArrayList<>();
        for (SakerServletContext.FilterEntry entry : context.filterEntries()) {
            if (entry.mapping().pattern() != null && entry.mapping().matches(type, path, servletName)
                    && !chain.contains(entry.holder())) {
                chain.add(entry.holder());
            }
        }
        for (SakerServletContext.FilterEntry entry : context.filterEntries()) {
            if (entry.mapping().servletName() != null && entry.mapping().matches(type, path, servletName)
                    && !chain.contains(entry.holder())) {
                chain.add(entry.holder());
            }
        }
        return List.copyOf(chain);
    }
}
