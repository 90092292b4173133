package dev.saker.servlet.context;

import dev.saker.servlet.util.MimeTypes;
import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.descriptor.JspConfigDescriptor;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of a context, each changeable only while it initializes: init parameters, display
 * name, declared roles, MIME types, session cookie, tracking modes and timeout, and the request,
 * response and locale character encodings; plus the fixed facts (versions, server info) and
 * logging. {@link SakerServletContext} adds what the application registers and runs.
 */
abstract class ContextSettings implements ServletContext {

    static final Logger log = LoggerFactory.getLogger("dev.saker.servlet.context");

    private String displayName = "application";
    private final Map<String, String> initParameters = new LinkedHashMap<>();
    private final MimeTypes mimeTypes = new MimeTypes();
    private final SakerSessionCookieConfig sessionCookieConfig = new SakerSessionCookieConfig(this);
    private Set<SessionTrackingMode> sessionTrackingModes = EnumSet.of(SessionTrackingMode.COOKIE);
    private int sessionTimeoutMinutes = 30;
    private boolean tlsListener;
    private String requestCharacterEncoding;
    private String responseCharacterEncoding;
    private final Map<String, String> localeEncodings = new HashMap<>();
    private final Set<String> declaredRoles = new LinkedHashSet<>();

    /** @throws IllegalStateException once the context has started (registration and settings are closed) */
    abstract void checkNotStarted(String method);

    public MimeTypes mimeTypes() {
        return mimeTypes;
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
    public SessionCookieConfig getSessionCookieConfig() {
        return sessionCookieConfig;
    }

    /**
     * Tells the context its server listens with TLS, which makes {@link SessionTrackingMode#SSL}
     * available (as Tomcat offers it only with an SSL-enabled connector).
     */
    public void setTlsListener(boolean tlsListener) {
        checkNotStarted("setTlsListener");
        this.tlsListener = tlsListener;
    }

    /**
     * @throws IllegalArgumentException for SSL tracking without a TLS listener, or SSL combined with
     *         another mode (a session would then have two ids), as Tomcat refuses them
     */
    @Override
    public void setSessionTrackingModes(Set<SessionTrackingMode> modes) {
        checkNotStarted("setSessionTrackingModes");
        if (modes.contains(SessionTrackingMode.SSL)) {
            if (!tlsListener) {
                throw new IllegalArgumentException("SSL session tracking needs a TLS listener (server.ssl.enabled=true)");
            }
            if (modes.size() > 1) {
                throw new IllegalArgumentException("SSL session tracking cannot be combined with other tracking modes: " + modes);
            }
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
