package dev.saker.servlet.context;

import dev.saker.servlet.attributes.AttributeMap;
import dev.saker.servlet.dispatch.SakerRequestDispatcher;
import dev.saker.servlet.mapping.ServletMapper;
import dev.saker.servlet.mapping.ServletMatch;
import dev.saker.servlet.resource.ContextResources;
import dev.saker.servlet.util.MimeTypes;
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
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.descriptor.JspConfigDescriptor;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.EventListener;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ServletContext} of one web application: registrations, mappings, listeners,
 * attributes, init parameters, MIME types and resources. Registration is open until {@link #start()}
 * and closed afterwards, as the spec requires.
 */
public final class SakerServletContext implements ServletContext {

    private static final Logger log = LoggerFactory.getLogger("dev.saker.servlet.context");

    private enum State { INITIALIZING, STARTED, DESTROYED }

    private final String contextPath;
    private final ClassLoader classLoader;
    private volatile State state = State.INITIALIZING;
    private String displayName = "application";
    private final ContextResources resources;
    private final Map<String, String> initParameters = new LinkedHashMap<>();
    private final ContextListeners listeners = new ContextListeners(this);
    private final AttributeMap attributes = new AttributeMap(new ConcurrentHashMap<>(), this, listeners, null);
    private final MimeTypes mimeTypes = new MimeTypes();
    private final Map<String, ServletHolder> servlets = new LinkedHashMap<>();
    private final ServletMapper mapper = new ServletMapper();
    private final Map<String, String> mappingOwners = new HashMap<>();
    private final Map<String, FilterHolder> filters = new LinkedHashMap<>();
    private final List<FilterEntry> filterEntries = new ArrayList<>();
    private int filterEntriesBefore;
    private final FilterChains filterChains = new FilterChains(this);
    private final Map<ServletContainerInitializer, Set<Class<?>>> initializers = new LinkedHashMap<>();
    private final SakerSessionCookieConfig sessionCookieConfig = new SakerSessionCookieConfig(this);
    private Set<SessionTrackingMode> sessionTrackingModes = EnumSet.of(SessionTrackingMode.COOKIE);
    private int sessionTimeoutMinutes = 30;
    private String requestCharacterEncoding;
    private String responseCharacterEncoding;
    private final Map<String, String> localeEncodings = new HashMap<>();
    private final Set<String> declaredRoles = new LinkedHashSet<>();

    /** One filter mapping in chain order. */
    record FilterEntry(FilterHolder holder, FilterHolder.Mapping mapping) {
    }

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
        for (FilterHolder filter : filters.values()) {
            filter.filter();
        }
    }

    /** Initializes the load-on-startup servlets in ascending order (when the server starts serving). */
    public void startServlets() throws ServletException {
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

    /** Destroys servlets and filters, then notifies context listeners in reverse order. */
    public void destroy() {
        if (state == State.DESTROYED) {
            return;
        }
        state = State.DESTROYED;
        List<ServletHolder> holders = new ArrayList<>(servlets.values());
        Collections.reverse(holders);
        for (ServletHolder holder : holders) {
            safely(() -> holder.destroy(), "servlet " + holder.getName());
        }
        for (FilterHolder filter : filters.values()) {
            safely(filter::destroy, "filter " + filter.getName());
        }
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

    void checkNotStarted(String method) {
        if (state != State.INITIALIZING) {
            throw new IllegalStateException(method + " is only allowed while the context is initializing");
        }
    }

    // ------------------------------------------------------------------ request-time lookups

    /** @return the servlet match for a context-relative path, or {@code null} */
    public ServletMatch match(String path) {
        return mapper.match(path);
    }

    public ServletHolder servletHolder(String name) {
        return servlets.get(name);
    }

    /** @return the filters to run, in order, for a dispatch to {@code servletName} at {@code path} */
    public List<FilterHolder> filtersFor(DispatcherType type, String path, String servletName) {
        return filterChains.filters(type, path, servletName);
    }

    List<FilterEntry> filterEntries() {
        return filterEntries;
    }

    /**
     * @return the listeners of the given type, in registration order; cached once the context has
     *         started (no listener can be added then), since requests ask for them several times
     */
    public <T extends EventListener> List<T> listeners(Class<T> type) {
        return listeners.of(type);
    }

    public MimeTypes mimeTypes() {
        return mimeTypes;
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

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public int sessionTimeoutMinutes() {
        return sessionTimeoutMinutes;
    }

    public Map<String, String> localeEncodings() {
        return localeEncodings;
    }

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

    <T> T instantiate(String className, Class<T> type) throws ServletException {
        try {
            Class<?> cls = Class.forName(className, true, classLoader);
            return type.cast(createInstance(cls));
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new ServletException("cannot load " + type.getSimpleName() + " class " + className, e);
        }
    }

    private <T> T createInstance(Class<T> cls) throws ServletException {
        try {
            return cls.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new ServletException("cannot instantiate " + cls.getName() + " (it needs a public no-arg constructor)", e);
        }
    }

    // ------------------------------------------------------------------ ServletContext: basics

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
    public int getMajorVersion() {
        return 6;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public int getEffectiveMajorVersion() {
        return 6;
    }

    @Override
    public int getEffectiveMinorVersion() {
        return 1;
    }

    @Override
    public String getMimeType(String file) {
        return mimeTypes.forFile(file);
    }

    @Override
    public String getServerInfo() {
        return "Saker";
    }

    @Override
    public String getServletContextName() {
        return displayName;
    }

    @Override
    public void log(String msg) {
        log.info(msg);
    }

    @Override
    public void log(String message, Throwable throwable) {
        log.error(message, throwable);
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public void declareRoles(String... roleNames) {
        checkNotStarted("declareRoles");
        Collections.addAll(declaredRoles, roleNames);
    }

    @Override
    public String getVirtualServerName() {
        return "saker";
    }

    @Override
    public JspConfigDescriptor getJspConfigDescriptor() {
        return null;
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
        return SakerRequestDispatcher.forPath(this, path);
    }

    @Override
    public RequestDispatcher getNamedDispatcher(String name) {
        ServletHolder holder = servlets.get(name);
        return holder == null ? null : SakerRequestDispatcher.named(this, holder);
    }

    // ------------------------------------------------------------------ init parameters and attributes

    @Override
    public String getInitParameter(String name) {
        return initParameters.get(name);
    }

    @Override
    public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(initParameters.keySet());
    }

    @Override
    public boolean setInitParameter(String name, String value) {
        checkNotStarted("setInitParameter");
        if (name == null) {
            throw new NullPointerException("init parameter name");
        }
        return initParameters.putIfAbsent(name, value) == null;
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
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("servlet name must not be empty");
        }
        if (servlets.containsKey(name)) {
            return null;
        }
        ServletHolder holder = new ServletHolder(this, name, className, instance);
        servlets.put(name, holder);
        return holder;
    }

    @Override
    public ServletRegistration.Dynamic addJspFile(String servletName, String jspFile) {
        throw new UnsupportedOperationException("JSP is not supported by Saker (addJspFile)");
    }

    @Override
    public <T extends Servlet> T createServlet(Class<T> clazz) throws ServletException {
        return createInstance(clazz);
    }

    @Override
    public ServletRegistration getServletRegistration(String servletName) {
        return servlets.get(servletName);
    }

    @Override
    public Map<String, ? extends ServletRegistration> getServletRegistrations() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(servlets));
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
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("filter name must not be empty");
        }
        if (filters.containsKey(name)) {
            return null;
        }
        FilterHolder holder = new FilterHolder(this, name, className, instance);
        filters.put(name, holder);
        return holder;
    }

    @Override
    public <T extends Filter> T createFilter(Class<T> clazz) throws ServletException {
        return createInstance(clazz);
    }

    @Override
    public FilterRegistration getFilterRegistration(String filterName) {
        return filters.get(filterName);
    }

    @Override
    public Map<String, ? extends FilterRegistration> getFilterRegistrations() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(filters));
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
        return createInstance(clazz);
    }

    // ------------------------------------------------------------------ sessions and encodings

    @Override
    public SessionCookieConfig getSessionCookieConfig() {
        return sessionCookieConfig;
    }

    @Override
    public void setSessionTrackingModes(Set<SessionTrackingMode> modes) {
        checkNotStarted("setSessionTrackingModes");
        if (modes.contains(SessionTrackingMode.SSL)) {
            throw new IllegalArgumentException("SSL session tracking is not supported");
        }
        this.sessionTrackingModes = modes.isEmpty() ? EnumSet.noneOf(SessionTrackingMode.class) : EnumSet.copyOf(modes);
    }

    @Override
    public Set<SessionTrackingMode> getDefaultSessionTrackingModes() {
        return EnumSet.of(SessionTrackingMode.COOKIE);
    }

    @Override
    public Set<SessionTrackingMode> getEffectiveSessionTrackingModes() {
        return Collections.unmodifiableSet(sessionTrackingModes);
    }

    @Override
    public int getSessionTimeout() {
        return sessionTimeoutMinutes;
    }

    @Override
    public void setSessionTimeout(int sessionTimeout) {
        checkNotStarted("setSessionTimeout");
        this.sessionTimeoutMinutes = sessionTimeout;
    }

    @Override
    public String getRequestCharacterEncoding() {
        return requestCharacterEncoding;
    }

    @Override
    public void setRequestCharacterEncoding(String encoding) {
        checkNotStarted("setRequestCharacterEncoding");
        this.requestCharacterEncoding = encoding;
    }

    @Override
    public String getResponseCharacterEncoding() {
        return responseCharacterEncoding;
    }

    @Override
    public void setResponseCharacterEncoding(String encoding) {
        checkNotStarted("setResponseCharacterEncoding");
        this.responseCharacterEncoding = encoding;
    }
}
