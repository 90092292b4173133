package dev.saker.servlet.context;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;

/**
 * What servlet and filter registrations share: name, class, init parameters, async support, and
 * the instance, created (if registered by class) and initialized at most once.
 *
 * @param <T> {@code Servlet} or {@code Filter}
 */
abstract class AbstractRegistration<T> {

    final SakerServletContext context;
    private final String name;
    private final String className;
    private final Class<T> type;
    private final InitParameters initParameters = new InitParameters();
    private T instance;
    private volatile boolean initialized;
    private boolean asyncSupported;

    AbstractRegistration(SakerServletContext context, String name, String className, Class<T> type, T instance) {
        this.context = context;
        this.name = name;
        this.className = className;
        this.type = type;
        this.instance = instance;
    }

    /** Calls the instance's {@code init} with this registration as its config. */
    abstract void init(T instance) throws ServletException;

    /** Calls the instance's {@code destroy}. */
    abstract void destroy(T instance);

    /** @return the instance, initialized (thread-safe; initializes at most once) */
    final T instance() throws ServletException {
        if (!initialized) {
            synchronized (this) {
                if (!initialized) {
                    if (instance == null) {
                        instance = context.instantiate(className, type);
                    }
                    init(instance);
                    initialized = true;
                }
            }
        }
        return instance;
    }

    final void destroy() {
        if (initialized) {
            initialized = false;
            destroy(instance);
        }
    }

    public final boolean asyncSupported() {
        return asyncSupported;
    }

    public void setAsyncSupported(boolean isAsyncSupported) {
        context.checkNotStarted("setAsyncSupported");
        this.asyncSupported = isAsyncSupported;
    }

    public String getName() {
        return name;
    }

    public String getClassName() {
        return className;
    }

    public boolean setInitParameter(String key, String value) {
        context.checkNotStarted("setInitParameter");
        return initParameters.set(key, value);
    }

    public String getInitParameter(String key) {
        return initParameters.get(key);
    }

    public Set<String> setInitParameters(Map<String, String> params) {
        context.checkNotStarted("setInitParameters");
        return initParameters.setAll(params);
    }

    public Map<String, String> getInitParameters() {
        return initParameters.asMap();
    }

    public Enumeration<String> getInitParameterNames() {
        return initParameters.names();
    }

    public ServletContext getServletContext() {
        return context;
    }
}
