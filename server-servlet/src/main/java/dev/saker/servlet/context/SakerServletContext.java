package dev.saker.servlet.context;

import dev.saker.servlet.attributes.AttributeMap;
import dev.saker.servlet.mapping.ServletMatch;
import dev.saker.servlet.resource.ContextResources;
import dev.saker.servlet.session.SessionContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ServletContext} of one web application: its lifecycle (initializers, listeners,
 * filters, load-on-startup servlets, destruction) and the application's side of it, each part in
 * its own class: servlet and filter registrations ({@link ContextRegistry}), listeners
 * ({@link ContextListeners}), attributes ({@code AttributeMap}), resources ({@code ContextResources})
 * and settings ({@link ContextSettings}). Registration is open until {@link #start()} and closed
 * afterwards, as the spec requires.
 */
public final class SakerServletContext extends ContextSettings implements SessionContext {

    private enum State { INITIALIZING, STARTED, DESTROYED }

    private final String contextPath;
    private final ClassLoader classLoader;
    private volatile State state = State.INITIALIZING;
    private final ContextResources resources;
    private final ContextListeners listeners = new ContextListeners(this);
    private final AttributeMap attributes = new AttributeMap(new ConcurrentHashMap<>(), this, listeners.attributeEvents(), null);
    private final ContextRegistry registry = new ContextRegistry(this);
    private final Map<ServletContainerInitializer, Set<Class<?>>> initializers = new LinkedHashMap<>();
    private volatile DispatcherFactory dispatchers;

    /**
     * @param contextPath "" for the root context, else "/name" (no trailing slash)
     * @param classLoader the application's class loader
     */
    public SakerServletContext(String contextPath, ClassLoader classLoader) {
        if (!contextPath.isEmpty() && (!contextPath.startsWith("/") || contextPath.endsWith("/"))) {
            throw new IllegalArgumentException("context path must be \"\" or start with '/' and not end with it: '"
                    + contextPath + "'");
        }
        this.contextPath = contextPath;
        this.classLoader = classLoader;
        this.resources = new ContextResources(classLoader);
    }

    // ------------------------------------------------------------------ lifecycle

    /** Adds an initializer run by {@link #start()} before the context listeners. */
    public void addServletContainerInitializer(ServletContainerInitializer initializer, Set<Class<?>> classes) {
        checkNotStarted("addServletContainerInitializer");
        initializers.put(initializer, classes);
    }

    /**
     * Runs initializers and {@link ServletContextListener}s, initializes every filter, closes
     * registration, then initializes load-on-startup servlets (ascending order).
     */
    public void start() throws ServletException {
        initialize();
        startServlets();
    }

    /** Runs initializers and {@link ServletContextListener}s and initializes filters; closes registration. */
    public void initialize() throws ServletException {
        for (Map.Entry<ServletContainerInitializer, Set<Class<?>>> e : initializers.entrySet()) {
            e.getKey().onStartup(e.getValue(), this);
        }
        listeners.contextInitialized();
        state = State.STARTED;
        listeners.close();
        registry.initFilters();
    }

    /** Initializes the load-on-startup servlets in ascending order (when the server starts serving). */
    public void startServlets() throws ServletException {
        registry.startServlets();
    }

    /** Destroys servlets and filters, then notifies context listeners in reverse order. */
    public void destroy() {
        if (state == State.DESTROYED) {
            return;
        }
        state = State.DESTROYED;
        registry.destroy(SakerServletContext::safely);
        listeners.contextDestroyed(SakerServletContext::safely);
    }

    private static void safely(Runnable action, String what) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("destroying {} failed", what, e);
        }
    }

    public boolean isStarted() {
        return state == State.STARTED;
    }

    @Override
    void checkNotStarted(String method) {
        if (state != State.INITIALIZING) {
            throw new IllegalStateException(method + " is only allowed while the context is initializing");
        }
    }

    // ------------------------------------------------------------------ request-time lookups

    /** @return the servlet match for a context-relative path, or {@code null} */
    public ServletMatch match(String path) {
        return registry.match(path);
    }

    public ServletHolder servletHolder(String name) {
        return registry.servlet(name);
    }

    /** @return the filters to run, in order, for a dispatch to {@code servletName} at {@code path} */
    public List<FilterHolder> filtersFor(DispatcherType type, String path, String servletName) {
        return registry.filtersFor(type, path, servletName);
    }

    /** @return the servlet and filter registrations */
    ContextRegistry registry() {
        return registry;
    }

    /**
     * @return the listeners of the given type, in registration order; cached once the context has
     *         started (no listener can be added then), since requests ask for them several times
     */
    @Override
    public <T extends EventListener> List<T> listeners(Class<T> type) {
        return listeners.of(type);
    }

    /** Sets the directory static resources are served from (may be {@code null}). */
    public void setDocumentRoot(Path documentRoot) {
        resources.setDocumentRoot(documentRoot);
    }

    public Path documentRoot() {
        return resources.documentRoot();
    }

    /** @return the application's resources: document root, then {@code META-INF/resources} on the class path */
    public ContextResources resources() {
        return resources;
    }

    <T> T instantiate(String className, Class<T> type) throws ServletException {
        return Instances.load(className, type, classLoader);
    }

    @Override
    public String getContextPath() {
        return contextPath;
    }

    @Override
    public ServletContext getContext(String uripath) {
        if (uripath == null || !uripath.startsWith("/")) {
            return null;
        }
        return contextPath.isEmpty() || uripath.equals(contextPath) || uripath.startsWith(contextPath + "/") ? this : null;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    // ------------------------------------------------------------------ resources

    @Override
    public Set<String> getResourcePaths(String path) {
        return resources.getResourcePaths(path);
    }

    @Override
    public URL getResource(String path) throws MalformedURLException {
        return resources.getResource(path);
    }

    @Override
    public InputStream getResourceAsStream(String path) {
        return resources.getResourceAsStream(path);
    }

    @Override
    public String getRealPath(String path) {
        return resources.getRealPath(path);
    }

    // ------------------------------------------------------------------ dispatchers

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        return dispatchers().forPath(path);
    }

    @Override
    public RequestDispatcher getNamedDispatcher(String name) {
        ServletHolder holder = registry.servlet(name);
        return holder == null ? null : dispatchers().named(holder);
    }

    /** Sets what makes this context's dispatchers (done by the container that serves it). */
    public void setDispatcherFactory(DispatcherFactory factory) {
        this.dispatchers = factory;
    }

    private DispatcherFactory dispatchers() {
        DispatcherFactory factory = dispatchers;
        if (factory == null) {
            throw new IllegalStateException("request dispatchers need the container that serves this context");
        }
        return factory;
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return attributes.names();
    }

    @Override
    public void setAttribute(String name, Object object) {
        if (name == null) {
            throw new NullPointerException("attribute name");
        }
        attributes.set(name, object);
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    // ------------------------------------------------------------------ servlets

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, String className) {
        return addServlet(servletName, className, null);
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, Servlet servlet) {
        return addServlet(servletName, servlet.getClass().getName(), servlet);
    }

    @Override
    public ServletRegistration.Dynamic addServlet(String servletName, Class<? extends Servlet> servletClass) {
        return addServlet(servletName, servletClass.getName(), null);
    }

    private ServletRegistration.Dynamic addServlet(String name, String className, Servlet instance) {
        checkNotStarted("addServlet");
        return registry.addServlet(name, className, instance);
    }

    @Override
    public ServletRegistration.Dynamic addJspFile(String servletName, String jspFile) {
        throw new UnsupportedOperationException("JSP is not supported by Saker (addJspFile)");
    }

    /** @return a new upgrade handler, made as servlets, filters and listeners are */
    public <T extends jakarta.servlet.http.HttpUpgradeHandler> T createUpgradeHandler(Class<T> clazz)
            throws ServletException {
        return Instances.create(clazz);
    }

    @Override
    public <T extends Servlet> T createServlet(Class<T> clazz) throws ServletException {
        return Instances.create(clazz);
    }

    @Override
    public ServletRegistration getServletRegistration(String servletName) {
        return registry.servlet(servletName);
    }

    @Override
    public Map<String, ? extends ServletRegistration> getServletRegistrations() {
        return registry.servlets();
    }

    // ------------------------------------------------------------------ filters

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, String className) {
        return addFilter(filterName, className, null);
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, Filter filter) {
        return addFilter(filterName, filter.getClass().getName(), filter);
    }

    @Override
    public FilterRegistration.Dynamic addFilter(String filterName, Class<? extends Filter> filterClass) {
        return addFilter(filterName, filterClass.getName(), null);
    }

    private FilterRegistration.Dynamic addFilter(String name, String className, Filter instance) {
        checkNotStarted("addFilter");
        return registry.addFilter(name, className, instance);
    }

    @Override
    public <T extends Filter> T createFilter(Class<T> clazz) throws ServletException {
        return Instances.create(clazz);
    }

    @Override
    public FilterRegistration getFilterRegistration(String filterName) {
        return registry.filter(filterName);
    }

    @Override
    public Map<String, ? extends FilterRegistration> getFilterRegistrations() {
        return registry.filters();
    }

    // ------------------------------------------------------------------ listeners

    @Override
    public void addListener(String className) {
        checkNotStarted("addListener");
        try {
            addListener(instantiate(className, EventListener.class));
        } catch (ServletException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public <T extends EventListener> void addListener(T listener) {
        checkNotStarted("addListener");
        listeners.add(listener);
    }

    @Override
    public void addListener(Class<? extends EventListener> listenerClass) {
        try {
            addListener(createListener(listenerClass));
        } catch (ServletException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public <T extends EventListener> T createListener(Class<T> clazz) throws ServletException {
        return Instances.create(clazz);
    }

}
