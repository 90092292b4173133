package dev.saker.boot.servlet;

import dev.saker.boot.AbstractSakerWebServerFactory;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.servlet.SakerServletContainer;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.accesslog.RemoteUserFilter;
import dev.saker.servlet.compression.CompressionFilter;
import dev.saker.servlet.compression.CompressionSettings;
import dev.saker.servlet.context.SakerServletContext;
import dev.saker.servlet.forwarded.ForwardedHeadersFilter;
import dev.saker.servlet.resource.DefaultServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.SessionCookieConfig;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.Cookie;
import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.server.servlet.DocumentRoot;
import org.springframework.boot.web.server.servlet.ServletContextInitializers;
import org.springframework.boot.web.server.servlet.ServletWebServerSettings;
import org.springframework.boot.web.server.servlet.Session;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.util.ClassUtils;

/**
 * A {@link ConfigurableServletWebServerFactory} that runs the application's Servlet context on a
 * Saker server. {@link #getWebServer} builds and initializes the context (initializers, listeners,
 * filters) without binding; the returned {@link SakerServletWebServer} binds on {@code start()}.
 */
public class SakerServletWebServerFactory extends AbstractSakerWebServerFactory
        implements ConfigurableServletWebServerFactory {

    private final ServletWebServerSettings settings = new ServletWebServerSettings();
    private ServletContainerConfig containerConfig = ServletContainerConfig.defaults();

    public SakerServletWebServerFactory() {
        super(DispatchMode.WORKER_POOL);
    }

    public SakerServletWebServerFactory(int port) {
        super(DispatchMode.WORKER_POOL, port);
    }

    @Override
    public ServletWebServerSettings getSettings() {
        return settings;
    }

    public ServletContainerConfig getContainerConfig() {
        return containerConfig;
    }

    public void setContainerConfig(ServletContainerConfig containerConfig) {
        this.containerConfig = containerConfig;
    }

    /** Where servlets run: {@code WORKER_POOL} (default) or {@code VIRTUAL_THREADS}. */
    @Override
    public void setDispatchMode(DispatchMode dispatchMode) {
        if (dispatchMode == DispatchMode.EVENT_LOOP) {
            throw new IllegalArgumentException("servlets block: EVENT_LOOP dispatch is not allowed for the Servlet container");
        }
        super.setDispatchMode(dispatchMode);
    }

    @Override
    public WebServer getWebServer(ServletContextInitializer... initializers) {
        checkSupported();
        // Before the context exists: a TLS configuration that cannot be used (a missing key alias) fails here.
        ServerConfig config = checkedEngineConfig();
        SakerServletContext context = createContext();
        SakerServletContainer container = new SakerServletContainer(context, containerConfig);
        configurePersistence(container);
        configureErrorPages(container);
        configureSameSite(container);
        ServletContextInitializers all = ServletContextInitializers.from(settings, initializers);
        boolean accessLogged = accessLogged(config);
        context.addServletContainerInitializer((classes, servletContext) -> {
            addEarlyFilters(servletContext);
            for (ServletContextInitializer initializer : all) {
                initializer.onStartup(servletContext);
            }
            if (accessLogged) {
                addRemoteUserFilter(servletContext);
            }
            if (settings.isRegisterDefaultServlet()) {
                registerDefaultServlet(context);
            }
            for (String listener : settings.getWebListenerClassNames()) {
                servletContext.addListener(listener);
            }
        }, Set.of());
        try {
            container.initialize();
        } catch (ServletException | RuntimeException e) {
            container.stop();
            throw new WebServerException("Unable to initialize the Servlet context on Saker", e);
        }
        return createWebServer(config, container,
                (server, graceful) -> new SakerServletWebServer(server, container, graceful));
    }

    /** Fails clearly for what Saker does not support yet, rather than ignoring a property. */
    private void checkSupported() {
        if (settings.getJsp() != null && settings.getJsp().getRegistered()
                && ClassUtils.isPresent(settings.getJsp().getClassName(), getClass().getClassLoader())) {
            throw new WebServerException("JSP is not supported by Saker, but a JSP engine (" + settings.getJsp().getClassName()
                    + ") is on the class path: remove it, or set server.servlet.jsp.registered=false", null);
        }
    }

    private SakerServletContext createContext() {
        ClassLoader loader = getClass().getClassLoader();
        SakerServletContext context = new SakerServletContext(settings.getContextPath().toString(), loader);
        if (settings.getDisplayName() != null) {
            context.setDisplayName(settings.getDisplayName());
        }
        context.setDocumentRoot(documentRoot().toPath());
        settings.getInitParameters().forEach(context::setInitParameter);
        // The private temporary directory the Servlet spec requires.
        context.setAttribute(jakarta.servlet.ServletContext.TEMPDIR, createTempDir("saker"));
        MimeMappings mimeMappings = settings.getMimeMappings();
        if (mimeMappings != null) {
            mimeMappings.forEach(mapping -> context.mimeTypes().put(mapping.getExtension(), mapping.getMimeType()));
        }
        settings.getLocaleCharsetMappings().forEach((locale, charset) -> context.localeEncodings().put(locale.toString(), charset.name()));
        // SSL session tracking is offered with a TLS listener only, as Tomcat does.
        context.setTlsListener(Ssl.isEnabled(getSsl()));
        configureSession(context, settings.getSession());
        return context;
    }

    /**
     * The document root: {@code server.servlet.document-root} or the directory Boot detects
     * ({@code src/main/webapp}, {@code public}, {@code static}, an exploded war), else an empty
     * temporary directory, as Tomcat's factory does, so {@code getResource("/")} always has a root.
     */
    private File documentRoot() {
        DocumentRoot documentRoot = new DocumentRoot(LogFactory.getLog(SakerServletWebServerFactory.class));
        documentRoot.setDirectory(settings.getDocumentRoot());
        File valid = documentRoot.getValidDirectory();
        return valid != null ? valid : createTempDir("saker-docbase");
    }

    /**
     * The "default" servlet, after the application's initializers: it gets {@code "/"} only when
     * the application left it free (Tomcat's overridable default servlet), and stays reachable by
     * name (Spring MVC's {@code DefaultServletHttpRequestHandler}) either way.
     */
    private static void registerDefaultServlet(SakerServletContext context) {
        ServletRegistration.Dynamic registration = context.addServlet(DefaultServlet.NAME, new DefaultServlet(context.resources()));
        if (registration != null) {
            registration.setLoadOnStartup(1);
            registration.addMapping("/");
        }
    }

    /** {@code server.servlet.session.persistent}: sessions saved at stop in the store directory, like Tomcat's SESSIONS.ser. */
    private void configurePersistence(SakerServletContainer container) {
        Session session = settings.getSession();
        if (session != null && session.isPersistent()) {
            File dir = session.getSessionStoreDirectory().getValidDirectory(true);
            container.sessions().setStoreFile(new File(dir, "SESSIONS.ser").toPath());
        }
    }

    private static void configureSession(SakerServletContext context, Session session) {
        if (session == null) {
            return;
        }
        Duration timeout = session.getTimeout();
        if (timeout != null) {
            long minutes = timeout.isNegative() || timeout.isZero() ? 0 : Math.max(1, (timeout.getSeconds() + 59) / 60);
            context.setSessionTimeout((int) Math.min(minutes, Integer.MAX_VALUE));
        }
        if (session.getTrackingModes() != null && !session.getTrackingModes().isEmpty()) {
            context.setSessionTrackingModes(session.getTrackingModes().stream()
                    .map(mode -> jakarta.servlet.SessionTrackingMode.valueOf(mode.name()))
                    .collect(Collectors.toSet()));
        }
        Cookie cookie = session.getCookie();
        SessionCookieConfig config = context.getSessionCookieConfig();
        if (cookie.getName() != null) {
            config.setName(cookie.getName());
        }
        if (cookie.getDomain() != null) {
            config.setDomain(cookie.getDomain());
        }
        if (cookie.getPath() != null) {
            config.setPath(cookie.getPath());
        }
        if (cookie.getHttpOnly() != null) {
            config.setHttpOnly(cookie.getHttpOnly());
        }
        if (cookie.getSecure() != null) {
            config.setSecure(cookie.getSecure());
        }
        if (cookie.getMaxAge() != null) {
            config.setMaxAge((int) cookie.getMaxAge().getSeconds());
        }
        String sameSite = sameSite(cookie.getSameSite());
        if (sameSite != null) {
            config.setAttribute("SameSite", sameSite);
        }
        if (Boolean.TRUE.equals(cookie.getPartitioned())) {
            config.setAttribute("Partitioned", "");
        }
    }

    private void configureErrorPages(SakerServletContainer container) {
        for (ErrorPage page : getErrorPages()) {
            if (page.isGlobal()) {
                container.errorPages().setGlobal(page.getPath());
            } else if (page.getException() != null) {
                container.errorPages().addForException(page.getException(), page.getPath());
            } else {
                container.errorPages().addForStatus(page.getStatusCode(), page.getPath());
            }
        }
    }

    /**
     * SameSite of cookies that do not set it themselves, as Tomcat's factory decides it: the
     * session cookie's setting first (for the session cookie, whatever its name; {@code OMITTED}
     * included, so no supplier adds one), then the application's suppliers in order; the first
     * answer wins and {@code OMITTED} means none.
     */
    private void configureSameSite(SakerServletContainer container) {
        List<CookieSameSiteSupplier> suppliers = new ArrayList<>();
        Cookie.SameSite sessionSameSite = settings.getSession().getCookie().getSameSite();
        if (sessionSameSite != null) {
            SessionCookieConfig sessionCookie = container.context().getSessionCookieConfig();
            suppliers.add(CookieSameSiteSupplier.of(sessionSameSite).whenHasName(sessionCookie::getName));
        }
        suppliers.addAll(settings.getCookieSameSiteSuppliers());
        if (suppliers.isEmpty()) {
            return;
        }
        container.setCookieSameSite(cookie -> {
            for (CookieSameSiteSupplier supplier : suppliers) {
                Cookie.SameSite value = supplier.getSameSite(cookie);
                if (value != null) {
                    return sameSite(value);
                }
            }
            return null;
        });
    }

    /** Filters the server itself provides, ahead of the application's. */
    private void addEarlyFilters(jakarta.servlet.ServletContext context) {
        if (isUseForwardHeaders()) {
            FilterRegistration.Dynamic forwarded = context.addFilter("sakerForwardedHeadersFilter",
                    new ForwardedHeadersFilter(getTrustedProxies()));
            forwarded.setAsyncSupported(true);
            forwarded.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        }
        Compression compression = getCompression();
        if (compression != null && compression.getEnabled()) {
            List<Pattern> excluded = new ArrayList<>();
            if (compression.getExcludedUserAgents() != null) {
                for (String agent : compression.getExcludedUserAgents()) {
                    excluded.add(Pattern.compile(agent));
                }
            }
            CompressionSettings settings = new CompressionSettings(Arrays.asList(compression.getAllMimeTypes()),
                    (int) compression.getMinResponseSize().toBytes(), excluded);
            FilterRegistration.Dynamic gzip = context.addFilter("sakerCompressionFilter", new CompressionFilter(settings));
            gzip.setAsyncSupported(true);
            gzip.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
        }
    }

    /**
     * With an access log, the filter that names the authenticated user ({@code %u}) on the exchange:
     * mapped after every filter the application registered (Boot's registration beans map theirs
     * before "match after" ones, whatever their order), so it sees the request as Spring Security's
     * {@code springSecurityFilterChain} (order -100) or any other authenticating filter wrapped it.
     * No cost without an access log: the filter is not there.
     */
    private static void addRemoteUserFilter(jakarta.servlet.ServletContext context) {
        FilterRegistration.Dynamic remoteUser = context.addFilter(RemoteUserFilter.NAME, new RemoteUserFilter());
        remoteUser.setAsyncSupported(true);
        remoteUser.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR),
                true, "/*");
    }

    private static String sameSite(Cookie.SameSite sameSite) {
        if (sameSite == null || sameSite == Cookie.SameSite.OMITTED) {
            return null;
        }
        String name = sameSite.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
