package dev.saker.servlet.context;

import dev.saker.servlet.mapping.UrlPattern;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A registered filter: its mappings by URL pattern and servlet name, per dispatcher type, and its instance. */
public final class FilterHolder extends AbstractRegistration<Filter> implements FilterRegistration.Dynamic, FilterConfig {

    /** One mapping rule, in declaration order. */
    public record Mapping(UrlPattern pattern, String servletName, EnumSet<DispatcherType> types) {
        public boolean matches(DispatcherType type, String path, String servlet) {
            if (!types.contains(type)) {
                return false;
            }
            if (servletName != null) {
                return servletName.equals("*") || servletName.equals(servlet);
            }
            return pattern.matches(path);
        }
    }

    private final List<Mapping> mappings = new ArrayList<>();

    FilterHolder(SakerServletContext context, String name, String className, Filter instance) {
        super(context, name, className, Filter.class, instance);
    }

    public Filter filter() throws ServletException {
        return instance();
    }

    @Override
    void init(Filter filter) throws ServletException {
        filter.init(this);
    }

    @Override
    void destroy(Filter filter) {
        filter.destroy();
    }

    boolean matches(DispatcherType type, String path, String servletName) {
        for (Mapping mapping : mappings) {
            if (mapping.matches(type, path, servletName)) {
                return true;
            }
        }
        return false;
    }

    private static EnumSet<DispatcherType> types(EnumSet<DispatcherType> types) {
        return types == null || types.isEmpty() ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.copyOf(types);
    }

    @Override
    public void addMappingForServletNames(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter, String... servletNames) {
        context.checkNotStarted("addMappingForServletNames");
        for (String servlet : servletNames) {
            Mapping m = new Mapping(null, servlet, types(dispatcherTypes));
            context.registry().addFilterMapping(this, m, isMatchAfter);
            mappings.add(m);
        }
    }

    @Override
    public Collection<String> getServletNameMappings() {
        Set<String> names = new LinkedHashSet<>();
        for (Mapping m : mappings) {
            if (m.servletName() != null) {
                names.add(m.servletName());
            }
        }
        return names;
    }

    @Override
    public void addMappingForUrlPatterns(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter, String... urlPatterns) {
        context.checkNotStarted("addMappingForUrlPatterns");
        for (String pattern : urlPatterns) {
            Mapping m = new Mapping(UrlPattern.parse(pattern), null, types(dispatcherTypes));
            context.registry().addFilterMapping(this, m, isMatchAfter);
            mappings.add(m);
        }
    }

    @Override
    public Collection<String> getUrlPatternMappings() {
        Set<String> patterns = new LinkedHashSet<>();
        for (Mapping m : mappings) {
            if (m.pattern() != null) {
                patterns.add(m.pattern().pattern());
            }
        }
        return patterns;
    }








    @Override
    public String getFilterName() {
        return getName();
    }


}
