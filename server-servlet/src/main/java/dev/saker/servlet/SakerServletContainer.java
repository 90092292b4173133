package dev.saker.servlet;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.http.HttpStatus;
import dev.saker.servlet.async.AsyncHost;
import dev.saker.servlet.async.SakerAsyncContext;
import dev.saker.servlet.attributes.AttributeListener;
import dev.saker.servlet.context.SakerServletContext;
import dev.saker.servlet.context.ServletHolder;
import dev.saker.servlet.dispatch.ContextDispatchers;
import dev.saker.servlet.dispatch.ErrorPages;
import dev.saker.servlet.dispatch.Invoker;
import dev.saker.servlet.dispatch.SakerRequestDispatcher;
import dev.saker.servlet.mapping.ServletMatch;
import dev.saker.servlet.request.AsyncCycle;
import dev.saker.servlet.multipart.MultipartRequest;
import dev.saker.servlet.request.FormLimits;
import dev.saker.servlet.request.RequestAttributeEvents;
import dev.saker.servlet.request.RequestHost;
import dev.saker.servlet.request.RequestParts;
import dev.saker.servlet.request.RequestPath;
import dev.saker.servlet.request.SakerRequest;
import dev.saker.servlet.response.SakerResponse;
import dev.saker.servlet.session.SessionManager;
import dev.saker.servlet.upgrade.ServletUpgrade;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Servlet container as an engine {@link HttpHandler}: maps each request to a servlet, runs the
 * filter chain, handles errors (error pages by status and exception type), async cycles and
 * sessions, and completes the response. Blocking: run it with a worker-pool or virtual-thread
 * dispatch mode.
 */
public final class SakerServletContainer implements HttpHandler, RequestHost, AsyncHost {

    private static final Logger log = LoggerFactory.getLogger(SakerServletContainer.class);
    private static final RequestParts.Parser MULTIPART = MultipartRequest::parse;

    private final SakerServletContext context;
    private final ServletContainerConfig config;
    private final FormLimits formLimits;
    private final SessionManager sessions;
    private final ErrorPages errorPages = new ErrorPages();
    private final RequestEnd ending;
    private final RequestAttributeEvents requestAttributeEvents;
    private ScheduledExecutorService timer;
    private ExecutorService asyncExecutor;
    private volatile Function<Cookie, String> cookieSameSite;

    public SakerServletContainer(SakerServletContext context, ServletContainerConfig config) {
        this.context = context;
        this.config = config;
        this.formLimits = config.formLimits();
        this.sessions = new SessionManager(context);
        sessions.setMaxActiveSessions(config.maxActiveSessions());
        context.setDispatcherFactory(new ContextDispatchers(context));
        this.ending = new RequestEnd(context, errorPages);
        this.requestAttributeEvents = new RequestAttributeEvents(context,
                () -> context.listeners(ServletRequestAttributeListener.class));
    }

    @Override
    public SakerServletContext context() {
        return context;
    }

    @Override
    public SessionManager sessions() {
        return sessions;
    }

    @Override
    public Map<String, String> localeEncodings() {
        return context.localeEncodings();
    }

    @Override
    public RequestParts.Parser multipartParser() {
        return MULTIPART;
    }

    @Override
    public AttributeListener requestAttributeEvents() {
        return requestAttributeEvents;
    }

    @Override
    public AsyncCycle startAsync(SakerRequest base, ServletRequest request, ServletResponse response) {
        SakerAsyncContext async = new SakerAsyncContext(this, base, request, response);
        // Heard on the event loop: the listeners run on a container thread.
        base.exchange().onClientGone(() -> execute(async::clientGone));
        return async;
    }

    public ErrorPages errorPages() {
        return errorPages;
    }

    public long maxFormSize() {
        return config.maxFormSize();
    }

    @Override
    public FormLimits formLimits() {
        return formLimits;
    }

    @Override
    public long asyncTimeoutMillis() {
        return config.asyncTimeout().toMillis();
    }

    // ------------------------------------------------------------------ lifecycle

    /** Starts the context (initializers, listeners, load-on-startup servlets) and the container's timers. */
    public synchronized void start() throws ServletException {
        initialize();
        context.startServlets();
    }

    /**
     * Starts the timers and initializes the context (initializers, listeners, filters) but not the
     * load-on-startup servlets: Spring Boot's {@code getWebServer} phase.
     */
    public synchronized void initialize() throws ServletException {
        timer = Executors.newSingleThreadScheduledExecutor(daemon("saker-servlet-timer"));
        asyncExecutor = Executors.newCachedThreadPool(daemon("saker-async"));
        long sweep = config.sessionSweepInterval().toMillis();
        timer.scheduleWithFixedDelay(sessions::expireIdle, sweep, sweep, TimeUnit.MILLISECONDS);
        context.initialize();
        sessions.load();
    }

    /** Initializes the load-on-startup servlets: Spring Boot's {@code WebServer.start()} phase. */
    public void startServlets() throws ServletException {
        context.startServlets();
    }

    /**
     * Sets what decides the {@code SameSite} attribute of cookies that do not set it themselves,
     * session cookie included ({@code null} result: none).
     */
    public void setCookieSameSite(Function<Cookie, String> sameSite) {
        this.cookieSameSite = sameSite;
    }

    @Override
    public void applySameSite(Cookie cookie) {
        Function<Cookie, String> policy = cookieSameSite;
        if (policy != null && cookie.getAttribute("SameSite") == null) {
            String value = policy.apply(cookie);
            if (value != null) {
                cookie.setAttribute("SameSite", value);
            }
        }
    }

    /**
     * Saves the sessions when they are persistent (else invalidates them), destroys the context and
     * stops the timers.
     */
    public synchronized void stop() {
        sessions.unload();
        sessions.invalidateAll();
        context.destroy();
        if (timer != null) {
            timer.shutdownNow();
            asyncExecutor.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public <T extends HttpUpgradeHandler> T createUpgradeHandler(Class<T> type) throws ServletException {
        return context.createUpgradeHandler(type);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void execute(Runnable task) {
        asyncExecutor.execute(task);
    }

    @Override
    public void log(String message, Throwable error) {
        log.warn(message, error);
    }

    @Override
    public MultipartConfigElement multipartConfigFor(SakerRequest request) {
        ServletMatch match = request.match();
        ServletHolder holder = match == null ? null : context.servletHolder(match.servletName());
        return holder == null ? null : holder.multipartConfig();
    }

    // ------------------------------------------------------------------ requests

    @Override
    public void handle(HttpExchange exchange) throws Exception {
        if (exchange.rawPath().equals("*")) {
            exchange.responseHeaders().set("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH");
            exchange.send(new byte[0]);
            return;
        }
        RequestPath path;
        try {
            path = RequestPath.parse(exchange.rawPath(), config.allowEncodedSlash(),
                    context.getSessionCookieConfig().getName());
        } catch (RequestPath.InvalidPathException e) {
            plainError(exchange, 400);
            return;
        }
        String contextPath = context.getContextPath();
        if (!contextPath.isEmpty()) {
            if (path.decoded().equals(contextPath)) {
                String query = exchange.rawQuery();
                exchange.redirect(302, exchange.rawPath() + "/" + (query == null ? "" : "?" + query));
                return;
            }
            if (!path.decoded().startsWith(contextPath + "/")) {
                plainError(exchange, 404);
                return;
            }
        }
        SakerRequest request = new SakerRequest(this, exchange, path);
        SakerResponse response = new SakerResponse(request, exchange);
        request.setResponse(response);
        String relative = request.contextRelativePath();
        ServletMatch match = context.match(relative);
        request.setMatch(match);
        ending.requestListeners(request, true);
        Throwable failure = null;
        try {
            Invoker.invoke(context, request, request, response, DispatcherType.REQUEST, match, relative);
        } catch (Throwable t) {
            failure = t;
        }
        AsyncCycle async = request.asyncContextOrNull();
        HttpUpgradeHandler upgrade = request.upgradeHandler();
        dev.saker.server.connection.UpgradedProtocol engineProtocol = request.upgradeProtocol();
        if (failure == null && (upgrade != null || engineProtocol != null)) {
            try {
                if (ending.switchProtocols(request, engineProtocol != null ? engineProtocol
                        : ServletUpgrade.protocol(upgrade, this::execute, config.upgradeIdleTimeout()))) {
                    return;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure == null && async != null && async.isStartedInThisDispatch()) {
            exchange.async();
            async.dispatchReturned();
            return;
        }
        if (async != null) {
            exchange.async();
            if (!async.error(failure)) {
                return;
            }
        }
        ending.endRequest(request, request, response, failure);
    }

    private static void plainError(HttpExchange exchange, int status) {
        exchange.status(status);
        exchange.responseHeaders().set("Content-Type", "text/plain;charset=UTF-8");
        exchange.send(status + " " + HttpStatus.reasonPhrase(status));
    }

    // ------------------------------------------------------------------ async support

    @Override
    public void asyncDispatch(SakerRequest base, HttpServletRequest original, ServletRequest request,
                              ServletResponse response, String path, SakerAsyncContext async) {
        try {
            SakerRequestDispatcher.async(context, base, original, request, response, path);
        } catch (Throwable t) {
            async.fail(t);
            return;
        }
        async.asyncDispatchReturned();
    }

    @Override
    public void asyncFailed(SakerRequest base, ServletRequest request, ServletResponse response, Throwable failure) {
        if (base.lifetime().ended()) {
            return;
        }
        String uri = base.getRequestURI();
        try {
            ending.endRequest(base, request, response, failure);
        } catch (IOException e) {
            log.debug("async request {} failed after commit", uri, e);
        }
    }

    @Override
    public void completeAsync(SakerRequest base, AsyncEvent event) {
        if (base.lifetime().ended()) {
            return;
        }
        String uri = base.getRequestURI();
        try {
            ending.endRequest(base, base, base.response(), null);
        } catch (IOException e) {
            log.debug("completing async request {} failed", uri, e);
        }
    }

    /** A 500 error, then complete (Servlet 6.1, 2.3.3.3). */
    @Override
    public void asyncTimedOut(SakerRequest base, ServletRequest request, ServletResponse response, SakerAsyncContext async) {
        if (base.response().isCommitted()) {
            // The body already started cannot be ended as if it were whole.
            base.response().abort(new IOException("async request timed out after its response was committed"));
        } else {
            try {
                base.response().sendError(500, "async request timed out");
            } catch (IOException e) {
                log.debug("cannot answer the async timeout of {}", base.getRequestURI(), e);
            }
        }
        async.complete();
    }
}
