package dev.saker.boot;

import dev.saker.boot.accesslog.AccessLogSettings;
import dev.saker.boot.ssl.BundleTlsMaterial;
import dev.saker.boot.ssl.SslBundleReloader;
import dev.saker.server.accesslog.AccessLog;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.forwarded.TrustedProxies;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.tls.TlsConfig;
import dev.saker.server.tls.TlsProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.util.StringUtils;

/**
 * What the Servlet and the reactive factories of Saker share: the engine configuration made from
 * Boot's common settings (port, address, server header, HTTP/2, SSL bundles with SNI and reload,
 * shutdown mode), the {@code saker.server.*} settings, engine customizers and the access log, and
 * the assembly of a {@link SakerWebServer} around an engine handler.
 */
public abstract class AbstractSakerWebServerFactory extends AbstractConfigurableWebServerFactory {

    private final List<SakerServerCustomizer> serverCustomizers = new ArrayList<>();
    private Integer maxHeadSize;
    private AccessLogSettings accessLog;
    private DispatchMode dispatchMode;
    private TlsProvider tlsProvider = TlsProvider.AUTO;
    private Duration tlsHandshakeTimeout = Duration.ofSeconds(10);
    private int tlsMaxClientHelloSize = TlsConfig.DEFAULT_MAX_CLIENT_HELLO_SIZE;
    private boolean useForwardHeaders;
    private String trustedProxies = TrustedProxies.DEFAULT_PATTERN;

    protected AbstractSakerWebServerFactory(DispatchMode defaultDispatchMode) {
        this.dispatchMode = defaultDispatchMode;
    }

    protected AbstractSakerWebServerFactory(DispatchMode defaultDispatchMode, int port) {
        super(port);
        this.dispatchMode = defaultDispatchMode;
    }

    /** Adds customizers of the engine configuration, applied in order after the factory's own settings. */
    public void addServerCustomizers(SakerServerCustomizer... customizers) {
        serverCustomizers.addAll(Arrays.asList(customizers));
    }

    public void setServerCustomizers(Collection<? extends SakerServerCustomizer> customizers) {
        serverCustomizers.clear();
        serverCustomizers.addAll(customizers);
    }

    public List<SakerServerCustomizer> getServerCustomizers() {
        return serverCustomizers;
    }

    /** Largest request head ({@code server.max-http-request-header-size}), in bytes. */
    public void setMaxHeadSize(int bytes) {
        this.maxHeadSize = bytes;
    }

    /** Where request handlers run; each factory has its default and may refuse a mode that does not fit. */
    public void setDispatchMode(DispatchMode dispatchMode) {
        this.dispatchMode = dispatchMode;
    }

    public DispatchMode getDispatchMode() {
        return dispatchMode;
    }

    /** TLS implementation when {@code server.ssl} is enabled: {@code AUTO} (default), {@code OPENSSL} or {@code JDK}. */
    public void setTlsProvider(TlsProvider tlsProvider) {
        this.tlsProvider = tlsProvider;
    }

    public TlsProvider getTlsProvider() {
        return tlsProvider;
    }

    /** Longest time from accept to a finished TLS handshake (default 10 s). */
    public void setTlsHandshakeTimeout(Duration timeout) {
        this.tlsHandshakeTimeout = timeout;
    }

    public Duration getTlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    /** Largest TLS ClientHello accepted, in bytes (default 16 KiB). */
    public void setTlsMaxClientHelloSize(int bytes) {
        this.tlsMaxClientHelloSize = bytes;
    }

    public int getTlsMaxClientHelloSize() {
        return tlsMaxClientHelloSize;
    }

    /**
     * Whether {@code Forwarded} / {@code X-Forwarded-*} from trusted proxies are honoured (the NATIVE
     * strategy): the application sees the client's address, scheme, host and port.
     */
    public void setUseForwardHeaders(boolean useForwardHeaders) {
        this.useForwardHeaders = useForwardHeaders;
    }

    public boolean isUseForwardHeaders() {
        return useForwardHeaders;
    }

    /** Regular expression of the proxy addresses whose forwarding fields are trusted. */
    public void setTrustedProxies(String trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public String getTrustedProxies() {
        return trustedProxies;
    }

    /**
     * Sets the access log a web server from this factory gets (made and started with the web server,
     * closed when it is destroyed); {@code null} (the default) for none.
     */
    public void setAccessLog(AccessLogSettings accessLog) {
        this.accessLog = accessLog;
    }

    public AccessLogSettings getAccessLog() {
        return accessLog;
    }

    /** @return the engine configuration a web server from this factory gets (properties and customizers applied) */
    public ServerConfig engineConfig() {
        return engineConfig(ResolvedSslBundles.resolve(this));
    }

    private ServerConfig engineConfig(ResolvedSslBundles bundles) {
        // No address: the engine binds the dual-stack wildcard (IPv6 and IPv4), as Tomcat does.
        // Port -1: no listener at all, as Boot asks of every server. No Server header unless one is set.
        ServerConfig.Builder builder = ServerConfig.builder()
                .port(getPort() < 0 ? ServerConfig.NO_LISTENER : getPort())
                .host(getAddress() == null ? null : getAddress().getHostAddress())
                .dispatchMode(dispatchMode)
                .serverHeader(StringUtils.hasText(getServerHeader()) ? getServerHeader() : null)
                // server.http2.enabled: h2c with prior knowledge on a cleartext port, h2 by ALPN with TLS.
                .http2(getHttp2() != null && getHttp2().isEnabled())
                .tls(tlsConfig(bundles));
        if (maxHeadSize != null) {
            builder.maxHeadSize(maxHeadSize);
        }
        for (SakerServerCustomizer customizer : serverCustomizers) {
            customizer.customize(builder);
        }
        return builder.build();
    }

    /**
     * @return {@link #engineConfig()}; a configuration that cannot be used (a missing key alias) as
     *         Boot's exception. Boot's own SSL resolution fails first and as Boot throws it (an
     *         {@code IllegalStateException} for SSL without key material, a missing bundle), as with
     *         Tomcat and Reactor Netty, which Boot's factory contract tests expect.
     */
    protected ServerConfig checkedEngineConfig() {
        ResolvedSslBundles bundles = ResolvedSslBundles.resolve(this);
        try {
            return engineConfig(bundles);
        } catch (RuntimeException e) {
            throw new WebServerException("Unable to configure Saker: " + e.getMessage(), e);
        }
    }

    /**
     * TLS from Boot's model when {@code server.ssl} is enabled: the default bundle
     * ({@code server.ssl.*} stores or {@code server.ssl.bundle}), one certificate per
     * {@code server.ssl.server-name-bundles} entry (SNI), client authentication, and the Saker
     * provider and handshake bounds; {@code null} (plain HTTP) otherwise.
     */
    private TlsConfig tlsConfig(ResolvedSslBundles bundles) {
        Ssl ssl = getSsl();
        if (bundles == null) {
            return null;
        }
        TlsConfig.Builder tls = TlsConfig.builder(BundleTlsMaterial.from(bundles.defaultBundle(), ssl.getClientAuth()))
                .provider(tlsProvider)
                .handshakeTimeout(tlsHandshakeTimeout)
                .maxClientHelloSize(tlsMaxClientHelloSize);
        for (Map.Entry<String, org.springframework.boot.ssl.SslBundle> entry : bundles.serverNames().entrySet()) {
            tls.serverName(entry.getKey(), BundleTlsMaterial.from(entry.getValue(), ssl.getClientAuth()));
        }
        return tls.build();
    }

    /**
     * Creates the engine for {@code handler} and the web server around it: the access log (made
     * last, so nothing before can fail and leave its thread running; a customizer's own sink wins)
     * and SSL bundle reloading when TLS is on.
     *
     * @param webServer makes the web server for the engine and the shutdown mode
     */
    protected <W extends SakerWebServer> W createWebServer(ServerConfig config, HttpHandler handler,
                                                           WebServerMaker<W> webServer) {
        AccessLog log = accessLog != null && config.accessLog() == null ? accessLog.create() : null;
        if (log != null) {
            config = config.toBuilder().accessLog(log).build();
        }
        SakerServer server = SakerServer.create(config, handler);
        W created = webServer.make(server, getShutdown() == Shutdown.GRACEFUL);
        if (log != null) {
            created.closeOnDestroy(log);
        }
        if (config.tls() != null && Ssl.isEnabled(getSsl())) {
            SslBundleReloader reloader = new SslBundleReloader(server::reloadTls, config.tls(), getSsl().getClientAuth());
            reloader.register(getSsl(), getSslBundles());
            created.addStartListener(reloader::reapply);
        }
        return created;
    }

    /** @return whether the web server will have an access log (to add what feeds it, such as the remote user) */
    protected boolean accessLogged(ServerConfig config) {
        return accessLog != null || config.accessLog() != null;
    }

    /** Boot's SSL bundles of {@code server.ssl}: the default one and one per server name. */
    private record ResolvedSslBundles(org.springframework.boot.ssl.SslBundle defaultBundle,
                              Map<String, org.springframework.boot.ssl.SslBundle> serverNames) {

        /** @return the bundles, {@code null} when SSL is off; Boot's exceptions when they cannot be resolved */
        static ResolvedSslBundles resolve(AbstractSakerWebServerFactory factory) {
            if (!Ssl.isEnabled(factory.getSsl())) {
                return null;
            }
            return new ResolvedSslBundles(factory.getSslBundle(), factory.getServerNameSslBundles());
        }
    }

    /** Makes the web server around an engine. */
    @FunctionalInterface
    protected interface WebServerMaker<W extends SakerWebServer> {
        W make(SakerServer server, boolean gracefulShutdown);
    }
}
