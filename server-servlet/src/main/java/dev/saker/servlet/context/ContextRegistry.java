package dev.saker.servlet.context;

import dev.saker.servlet.mapping.ServletMapper;
import dev.saker.servlet.mapping.ServletMatch;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The servlets and filters of one context: their registrations, the servlet mappings (one owner
 * per pattern) and the filter mappings in chain order, the lookups a request makes, and their
 * start and destruction. The context checks that registration is still open.
 */
final class ContextRegistry {

    /** One filter mapping in chain order. */
    record FilterEntry(FilterHolder holder, FilterHolder.Mapping mapping) {
    }

    private final SakerServletContext context;
    private final Map<String, ServletHolder> servlets = new LinkedHashMap<>();
    private final ServletMapper mapper = new ServletMapper();
    private final Map<String, String> mappingOwners = new HashMap<>();
    private final Map<String, FilterHolder> filters = new LinkedHashMap<>();
    private final List<FilterEntry> filterEntries = new ArrayList<>();
    private int filterEntriesBefore;
    private final FilterChains filterChains = new FilterChains(this);

    ContextRegistry(SakerServletContext context) {
        this.context = context;
    }

    /** @return the new registration, or {@code null} when the name is taken */
    ServletHolder addServlet(String name, String className, Servlet instance) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("servlet name must not be empty");
        }
        if (servlets.containsKey(name)) {
            return null;
        }
        ServletHolder holder = new ServletHolder(context, name, className, instance);
        servlets.put(name, holder);
        return holder;
    }

    /** @return the new registration, or {@code null} when the name is taken */
    FilterHolder addFilter(String name, String className, Filter instance) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("filter name must not be empty");
        }
        if (filters.containsKey(name)) {
            return null;
        }
        FilterHolder holder = new FilterHolder(context, name, className, instance);
        filters.put(name, holder);
        return holder;
    }

    ServletHolder servlet(String name) {
        return servlets.get(name);
    }

    FilterHolder filter(String name) {
        return filters.get(name);
    }

    /** @return a snapshot of the servlet registrations, in registration order */
    Map<String, ServletHolder> servlets() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(servlets));
    }

    /** @return a snapshot of the filter registrations, in registration order */
    Map<String, FilterHolder> filters() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(filters));
    }

    /** @return the servlet match for a context-relative path, or {@code null} */
    ServletMatch match(String path) {
        return mapper.match(path);
    }

    /** @return the filters to run, in order, for a dispatch to {@code servletName} at {@code path} */
    List<FilterHolder> filtersFor(DispatcherType type, String path, String servletName) {
        return filterChains.filters(type, path, servletName);
    }

    /** @return whether registration is closed (what is derived from the mappings may be cached) */
    boolean isStarted() {
        return context.isStarted();
    }

    List<FilterEntry> filterEntries() {
        return filterEntries;
    }

    /** @return the servlet that owns {@code pattern}, or {@code null} */
    String mappingOwner(String pattern) {
        return mappingOwners.get(pattern);
    }

    void map(String pattern, String servletName) {
        mapper.add(pattern, servletName);
        mappingOwners.put(pattern, servletName);
    }

    void addFilterMapping(FilterHolder holder, FilterHolder.Mapping mapping, boolean isMatchAfter) {
        if (isMatchAfter) {
            filterEntries.add(new FilterEntry(holder, mapping));
        } else {
            filterEntries.add(filterEntriesBefore++, new FilterEntry(holder, mapping));
        }
    }

    /** Initializes every filter (the context started). */
    void initFilters() throws ServletException {
        for (FilterHolder filter : filters.values()) {
            filter.filter();
        }
    }

    /** Initializes the load-on-startup servlets in ascending order. */
    void startServlets() throws ServletException {
        List<ServletHolder> eager = new ArrayList<>();
        for (ServletHolder holder : servlets.values()) {
            if (holder.loadOnStartup() >= 0) {
                eager.add(holder);
            }
        }
        eager.sort(Comparator.comparingInt(ServletHolder::loadOnStartup));
        for (ServletHolder holder : eager) {
            holder.servlet();
        }
    }

    /** Destroys the servlets (in reverse order), then the filters, each through {@code safely}. */
    void destroy(BiConsumer<Runnable, String> safely) {
        List<ServletHolder> holders = new ArrayList<>(servlets.values());
        Collections.reverse(holders);
        for (ServletHolder holder : holders) {
            safely.accept(() -> holder.destroy(), "servlet " + holder.getName());
        }
        for (FilterHolder filter : filters.values()) {
            safely.accept(filter::destroy, "filter " + filter.getName());
        }
    }
}
