package dev.saker.servlet.context;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A registered servlet: its registration data (mappings, init parameters, load-on-startup, async
 * support, multipart config) and its instance, initialized once, on start-up or on first request.
 */
public final class ServletHolder implements ServletRegistration.Dynamic, ServletConfig {

    private final SakerServletContext context;
    private final String name;
    private final String className;
    private Servlet instance;
    private volatile boolean initialized;
    private final InitParameters initParameters = new InitParameters();
    private final Set<String> mappings = new LinkedHashSet<>();
    private int loadOnStartup = -1;
    private boolean asyncSupported;
    private MultipartConfigElement multipartConfig;
    private String runAsRole;

    ServletHolder(SakerServletContext context, String name, String className, Servlet instance) {
        this.context = context;
        this.name = name;
        this.className = className;
        this.instance = instance;
    }

    /** @return the servlet, initialized (thread-safe; initializes at most once) */
    public Servlet servlet() throws ServletException {
        if (!initialized) {
            synchronized (this) {
                if (!initialized) {
                    if (instance == null) {
                        instance = context.instantiate(className, Servlet.class);
                    }
                    instance.init(this);
                    initialized = true;
                }
            }
        }
        return instance;
    }

    boolean initialized() {
        return initialized;
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

    public MultipartConfigElement multipartConfig() {
        return multipartConfig;
    }

    public int loadOnStartup() {
        return loadOnStartup;
    }

    // ---- ServletRegistration.Dynamic ----

    @Override
    public Set<String> addMapping(String... urlPatterns) {
        context.checkNotStarted("addMapping");
        if (urlPatterns == null || urlPatterns.length == 0) {
            throw new IllegalArgumentException("no URL patterns");
        }
        Set<String> conflicts = new LinkedHashSet<>();
        for (String pattern : urlPatterns) {
            String owner = context.mappingOwner(pattern);
            if (owner != null && !owner.equals(name)) {
                conflicts.add(pattern);
            }
        }
        if (!conflicts.isEmpty()) {
            return conflicts;
        }
        for (String pattern : urlPatterns) {
            context.map(pattern, name);
            mappings.add(pattern);
        }
        return Collections.emptySet();
    }

    @Override
    public Collection<String> getMappings() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(mappings));
    }

    @Override
    public String getRunAsRole() {
        return runAsRole;
    }

    @Override
    public void setLoadOnStartup(int loadOnStartup) {
        context.checkNotStarted("setLoadOnStartup");
        this.loadOnStartup = loadOnStartup;
    }

    @Override
    public Set<String> setServletSecurity(ServletSecurityElement constraint) {
        throw new UnsupportedOperationException("declarative servlet security (setServletSecurity) is not supported "
                + "by Saker; use Spring Security or a filter");
    }

    @Override
    public void setMultipartConfig(MultipartConfigElement multipartConfig) {
        context.checkNotStarted("setMultipartConfig");
        this.multipartConfig = multipartConfig;
    }

    @Override
    public void setRunAsRole(String roleName) {
        context.checkNotStarted("setRunAsRole");
        this.runAsRole = roleName;
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

    // ---- ServletConfig ----

    @Override
    public String getServletName() {
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
