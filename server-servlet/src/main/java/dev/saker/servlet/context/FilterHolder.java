package dev.saker.servlet.context;

import dev.saker.servlet.mapping.UrlPattern;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A registered filter: its mappings by URL pattern and servlet name, per dispatcher type, and its instance. */
public final class FilterHolder implements FilterRegistration.Dynamic, FilterConfig {

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

    private final SakerServletContext context;
    private final String name;
    private final String className;
    private Filter instance;
    private volatile boolean initialized;
    private final InitParameters initParameters = new InitParameters();
    private final List<Mapping> mappings = new ArrayList<>();
    private boolean asyncSupported;

    FilterHolder(SakerServletContext context, String name, String className, Filter instance) {
        this.context = context;
        this.name = name;
        this.className = className;
        this.instance = instance;
    }

    public Filter filter() throws ServletException {
        if (!initialized) {
            synchronized (this) {
                if (!initialized) {
                    if (instance == null) {
                        instance = context.instantiate(className, Filter.class);
                    }
                    instance.init(this);
                    initialized = true;
                }
            }
        }
        return instance;
    }

    void destroy() {
        if (initialized) {
            initialized = false;
            instance.destroy();
        }
    }

    public boolean asyncSupported() {
        return asyncSupported;
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
            context.addFilterMapping(this, m, isMatchAfter);
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
            context.addFilterMapping(this, m, isMatchAfter);
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
    public void setAsyncSupported(boolean isAsyncSupported) {
        context.checkNotStarted("setAsyncSupported");
        this.asyncSupported = isAsyncSupported;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getClassName() {
        return className;
    }

    @Override
    public boolean setInitParameter(String key, String value) {
        context.checkNotStarted("setInitParameter");
        return initParameters.set(key, value);
    }

    @Override
    public String getInitParameter(String key) {
        return initParameters.get(key);
    }

    @Override
    public Set<String> setInitParameters(Map<String, String> params) {
        context.checkNotStarted("setInitParameters");
        return initParameters.setAll(params);
    }

    @Override
    public Map<String, String> getInitParameters() {
        return initParameters.asMap();
    }

    @Override
    public String getFilterName() {
        return name;
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return initParameters.names();
    }
}
