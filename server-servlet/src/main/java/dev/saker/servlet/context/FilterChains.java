package dev.saker.servlet.context;

import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import dev.saker.servlet.mapping.UrlPattern;
import jakarta.servlet.http.MappingMatch;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves and caches the ordered filter list for a dispatch (Servlet 6.1, 6.2.4: URL-pattern
 * mappings first, then servlet-name mappings, each in declaration order). The cache is bounded.
 */
final class FilterChains {

    private static final int MAX_CACHED = 4096;

    private final ContextRegistry context;
    private final Map<String, List<FilterHolder>> cache = new ConcurrentHashMap<>();
    private final Map<DispatcherType, Map<String, List<FilterHolder>>> byServlet = new EnumMap<>(DispatcherType.class);
    private volatile Boolean pathIndependent;

    FilterChains(ContextRegistry context) {
        this.context = context;
        for (DispatcherType type : DispatcherType.values()) {
            byServlet.put(type, new ConcurrentHashMap<>());
        }
    }

    List<FilterHolder> filters(DispatcherType type, String path, String servletName) {
        if (context.filterEntries().isEmpty()) {
            return Collections.emptyList();
        }
        if (pathIndependent()) {
            // The usual case (every filter mapped to "/*"): the chain depends on the servlet only,
            // and the lookup allocates nothing.
            Map<String, List<FilterHolder>> forType = byServlet.get(type);
            List<FilterHolder> chain = forType.get(servletName);
            if (chain == null) {
                chain = resolve(type, "/", servletName);
                forType.put(servletName, chain);
            }
            return chain;
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

    /** @return whether every URL-pattern mapping matches every path ("/*" or "/"), fixed once the context started */
    private boolean pathIndependent() {
        Boolean known = pathIndependent;
        if (known == null) {
            boolean all = true;
            for (ContextRegistry.FilterEntry entry : context.filterEntries()) {
                UrlPattern pattern = entry.mapping().pattern();
                if (pattern != null && !(pattern.kind() == MappingMatch.DEFAULT
                        || (pattern.kind() == MappingMatch.PATH && pattern.key().isEmpty()))) {
                    all = false;
                    break;
                }
            }
            known = all;
            if (context.isStarted()) {
                pathIndependent = known;
            }
        }
        return known;
    }

    private List<FilterHolder> resolve(DispatcherType type, String path, String servletName) {
        List<FilterHolder> chain = new ArrayList<>();
        for (ContextRegistry.FilterEntry entry : context.filterEntries()) {
            if (entry.mapping().pattern() != null && entry.mapping().matches(type, path, servletName)
                    && !chain.contains(entry.holder())) {
                chain.add(entry.holder());
            }
        }
        for (ContextRegistry.FilterEntry entry : context.filterEntries()) {
            if (entry.mapping().servletName() != null && entry.mapping().matches(type, path, servletName)
                    && !chain.contains(entry.holder())) {
                chain.add(entry.holder());
            }
        }
        return List.copyOf(chain);
    }
}
