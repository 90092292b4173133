package dev.saker.servlet.context;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A registered servlet: its registration data (mappings, init parameters, load-on-startup, async
 * support, multipart config) and its instance, initialized once, on start-up or on first request.
 */
public final class ServletHolder extends AbstractRegistration<Servlet> implements ServletRegistration.Dynamic, ServletConfig {

    private final Set<String> mappings = new LinkedHashSet<>();
    private int loadOnStartup = -1;
    private MultipartConfigElement multipartConfig;
    private String runAsRole;

    ServletHolder(SakerServletContext context, String name, String className, Servlet instance) {
        super(context, name, className, Servlet.class, instance);
    }

    /** @return the servlet, initialized (thread-safe; initializes at most once) */
    public Servlet servlet() throws ServletException {
        return instance();
    }

    @Override
    void init(Servlet servlet) throws ServletException {
        servlet.init(this);
    }

    @Override
    void destroy(Servlet servlet) {
        servlet.destroy();
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
            String owner = context.registry().mappingOwner(pattern);
            if (owner != null && !owner.equals(getName())) {
                conflicts.add(pattern);
            }
        }
        if (!conflicts.isEmpty()) {
            return conflicts;
        }
        for (String pattern : urlPatterns) {
            context.registry().map(pattern, getName());
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








    // ---- ServletConfig ----

    @Override
    public String getServletName() {
        return getName();
    }


}
