package dev.saker.websocket.server;

import dev.saker.server.websocket.WebSocketConfig;
import dev.saker.websocket.DefaultConfigurator;
import dev.saker.websocket.codec.CodecType;
import dev.saker.websocket.codec.SimpleExtension;
import dev.saker.websocket.endpoint.AnnotatedModel;
import dev.saker.websocket.path.EndpointRegistry;
import dev.saker.websocket.path.UriTemplate;
import dev.saker.websocket.session.MessageKind;
import dev.saker.websocket.session.SakerSession;
import dev.saker.websocket.session.SessionLimits;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Saker's Jakarta WebSocket 2.2 {@link ServerContainer}, one per {@code ServletContext}: endpoints
 * added here are served by {@link WebSocketUpgradeFilter} at their paths, and
 * {@link #upgradeHttpToWebSocket} upgrades any request to a given endpoint (what Spring's
 * {@code StandardWebSocketUpgradeStrategy} calls). Sessions run on the engine's WebSocket protocol.
 * The client side ({@code connectToServer}) is not supported.
 */
public final class SakerServerContainer implements ServerContainer {

    private final EndpointRegistry<ServerEndpointConfig> registry = new EndpointRegistry<>();
    private final Map<ServerEndpointConfig, EndpointSetup> registered = new ConcurrentHashMap<>();
    /** For endpoints upgraded to without being added (Spring's per-handshake configs): by class. */
    private final Map<Class<?>, EndpointSetup> byClass = new ConcurrentHashMap<>();
    private final ServletHandshake handshake = new ServletHandshake(this);
    private final AtomicLong sessionIds = new AtomicLong();
    private volatile boolean upgraded;
    private volatile WebSocketConfig engineDefaults;
    private volatile long defaultIdleTimeout;
    private volatile int defaultMaxText;
    private volatile int defaultMaxBinary;
    private volatile long asyncSendTimeout;

    /** @param engineDefaults the engine's settings each session starts from (limits, timeouts, deflate) */
    public SakerServerContainer(WebSocketConfig engineDefaults) {
        engineDefaults(engineDefaults);
    }

    /** Resets the engine settings and the container's defaults (limits, idle and send timeouts) from them. */
    public void engineDefaults(WebSocketConfig config) {
        this.engineDefaults = config;
        this.defaultIdleTimeout = config.idleTimeout().toMillis();
        this.defaultMaxText = config.maxTextMessageSize();
        this.defaultMaxBinary = config.maxBinaryMessageSize();
        this.asyncSendTimeout = config.writeTimeout().toMillis();
    }

    // ------------------------------------------------------------------ endpoints

    /** @throws DeploymentException without {@code @ServerEndpoint}, for a bad endpoint, a taken path, or after the first upgrade */
    @Override
    public void addEndpoint(Class<?> endpointClass) throws DeploymentException {
        ServerEndpoint annotation = endpointClass.getAnnotation(ServerEndpoint.class);
        if (annotation == null) {
            throw new DeploymentException(endpointClass.getName() + " has no @ServerEndpoint");
        }
        ServerEndpointConfig.Configurator configurator;
        if (annotation.configurator() == ServerEndpointConfig.Configurator.class) {
            configurator = new DefaultConfigurator();
        } else {
            try {
                configurator = annotation.configurator().getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new DeploymentException("cannot make configurator " + annotation.configurator().getName(), e);
            }
        }
        ServerEndpointConfig config;
        try {
            config = ServerEndpointConfig.Builder.create(endpointClass, annotation.value())
                    .subprotocols(List.of(annotation.subprotocols()))
                    .encoders(List.of(annotation.encoders()))
                    .decoders(List.of(annotation.decoders()))
                    .configurator(configurator)
                    .build();
        } catch (IllegalStateException badPath) {
            throw new DeploymentException(endpointClass.getName() + ": " + badPath.getMessage(), badPath);
        }
        addEndpoint(config);
    }

    /**
     * Adds an endpoint: an {@code Endpoint} subclass, or an annotated class. Like Tomcat, the
     * container takes no endpoint once a connection was upgraded: a {@link DeploymentException}.
     */
    @Override
    public synchronized void addEndpoint(ServerEndpointConfig config) throws DeploymentException {
        if (upgraded) {
            throw new DeploymentException("endpoints must be added before the first WebSocket upgrade: "
                    + config.getPath());
        }
        UriTemplate template;
        try {
            template = UriTemplate.parse(config.getPath());
        } catch (IllegalArgumentException e) {
            throw new DeploymentException(e.getMessage(), e);
        }
        EndpointSetup setup = setup(config);
        try {
            registry.add(template, config);
        } catch (IllegalArgumentException e) {
            throw new DeploymentException(e.getMessage(), e);
        }
        registered.put(config, setup);
    }

    /** @return the added endpoint at the decoded context-relative {@code path}, or {@code null} */
    public EndpointRegistry.Match<ServerEndpointConfig> match(String path) {
        return registry.match(path);
    }

    /** @return whether any endpoint was added */
    public boolean hasEndpoints() {
        return !registry.isEmpty();
    }

    EndpointSetup setupFor(ServerEndpointConfig config) throws DeploymentException {
        EndpointSetup setup = registered.get(config);
        if (setup != null) {
            return setup;
        }
        setup = byClass.get(config.getEndpointClass());
        if (setup != null && setup.encoders().stream().map(CodecType::type).toList().equals(config.getEncoders())
                && setup.decoders().stream().map(CodecType::type).toList().equals(config.getDecoders())) {
            return setup;
        }
        setup = setup(config);
        byClass.put(config.getEndpointClass(), setup);
        return setup;
    }

    private static EndpointSetup setup(ServerEndpointConfig config) throws DeploymentException {
        List<CodecType> encoders = new ArrayList<>();
        for (Class<?> type : config.getEncoders()) {
            encoders.add(CodecType.of(type, true));
        }
        List<CodecType> decoders = new ArrayList<>();
        for (Class<?> type : config.getDecoders()) {
            decoders.add(CodecType.of(type, false));
        }
        Class<?> type = config.getEndpointClass();
        AnnotatedModel model = Endpoint.class.isAssignableFrom(type) ? null : AnnotatedModel.of(type, decoders);
        return new EndpointSetup(List.copyOf(encoders), List.copyOf(decoders), model, ConcurrentHashMap.newKeySet());
    }

    // ------------------------------------------------------------------ upgrade

    /**
     * Upgrades {@code request} to a session of the endpoint {@code config}: answers 400 or 426 for an
     * invalid handshake (the engine decides, HTTP/2 requests included: they cannot carry one) and
     * 403 when the configurator refuses the origin; otherwise sets the 101 and its fields, and the
     * connection switches once the servlet returns.
     */
    @Override
    public void upgradeHttpToWebSocket(Object request, Object response, ServerEndpointConfig config,
            Map<String, String> pathParameters) throws IOException, DeploymentException {
        if (!(request instanceof HttpServletRequest req) || !(response instanceof HttpServletResponse resp)) {
            throw new IllegalArgumentException("upgradeHttpToWebSocket takes an HttpServletRequest and HttpServletResponse");
        }
        handshake.upgrade(req, resp, config, pathParameters);
    }

    void upgraded() {
        upgraded = true;
    }

    String nextSessionId() {
        return Long.toHexString(sessionIds.incrementAndGet());
    }

    /** The engine settings of a session of {@code setup}: whole-message limits are the session's, frames are bounded by them. */
    WebSocketConfig engineConfig(EndpointSetup setup, boolean deflate) {
        SessionLimits limits = sessionLimits(setup);
        WebSocketConfig base = engineDefaults;
        int largest = Math.max(limits.maxTextMessageSize(), limits.maxBinaryMessageSize());
        return base.toBuilder()
                .maxTextMessageSize(limits.maxTextMessageSize())
                .maxBinaryMessageSize(limits.maxBinaryMessageSize())
                .maxFramePayload(Math.max(base.maxFramePayload(), largest))
                .idleTimeout(defaultIdleTimeout <= 0 ? Duration.ZERO : Duration.ofMillis(defaultIdleTimeout))
                .partialText(true)
                .partialBinary(true)
                .deflate(base.deflate() && deflate)
                .build();
    }

    SessionLimits sessionLimits(EndpointSetup setup) {
        return new SessionLimits(limit(setup.maxMessageSize(MessageKind.TEXT), defaultMaxText),
                limit(setup.maxMessageSize(MessageKind.BINARY), defaultMaxBinary), asyncSendTimeout);
    }

    private static int limit(long own, int fallback) {
        return own > 0 ? (int) Math.min(own, Integer.MAX_VALUE) : fallback;
    }

    /** Closes every open session with 1001 (going away): the context is stopping. */
    public void closeAll() {
        List<Set<SakerSession>> all = new ArrayList<>();
        registered.values().forEach(s -> all.add(s.sessions()));
        byClass.values().forEach(s -> all.add(s.sessions()));
        for (Set<SakerSession> sessions : all) {
            for (SakerSession session : List.copyOf(sessions)) {
                if (session.isOpen()) {
                    try {
                        session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "server stopping"));
                    } catch (IOException | RuntimeException e) {
                        // Closing a session that is closing already: nothing more to do.
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ defaults

    @Override
    public long getDefaultAsyncSendTimeout() {
        return asyncSendTimeout;
    }

    /** Zero or less: async sends never time out. Applies to sessions opened afterwards. */
    @Override
    public void setAsyncSendTimeout(long timeoutMillis) {
        this.asyncSendTimeout = timeoutMillis;
    }

    @Override
    public long getDefaultMaxSessionIdleTimeout() {
        return defaultIdleTimeout;
    }

    /** Zero or less: no idle timeout. Applies to sessions opened afterwards. */
    @Override
    public void setDefaultMaxSessionIdleTimeout(long timeoutMillis) {
        this.defaultIdleTimeout = timeoutMillis;
    }

    @Override
    public int getDefaultMaxBinaryMessageBufferSize() {
        return defaultMaxBinary;
    }

    @Override
    public void setDefaultMaxBinaryMessageBufferSize(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("the limit must be positive: " + max);
        }
        this.defaultMaxBinary = max;
    }

    @Override
    public int getDefaultMaxTextMessageBufferSize() {
        return defaultMaxText;
    }

    @Override
    public void setDefaultMaxTextMessageBufferSize(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("the limit must be positive: " + max);
        }
        this.defaultMaxText = max;
    }

    /** @return permessage-deflate when the engine settings allow it, else none */
    @Override
    public Set<Extension> getInstalledExtensions() {
        return engineDefaults.deflate() ? Set.of(new SimpleExtension("permessage-deflate", List.of())) : Set.of();
    }

    // ------------------------------------------------------------------ client side: not supported

    @Override
    public Session connectToServer(Object annotatedEndpointInstance, URI path) {
        throw clientUnsupported();
    }

    @Override
    public Session connectToServer(Class<?> annotatedEndpointClass, URI path) {
        throw clientUnsupported();
    }

    @Override
    public Session connectToServer(Endpoint endpointInstance, ClientEndpointConfig cec, URI path) {
        throw clientUnsupported();
    }

    @Override
    public Session connectToServer(Class<? extends Endpoint> endpointClass, ClientEndpointConfig cec, URI path) {
        throw clientUnsupported();
    }

    private static UnsupportedOperationException clientUnsupported() {
        return new UnsupportedOperationException("Saker's WebSocket container is a server container: "
                + "connectToServer (the client side) is not supported; use java.net.http.WebSocket or another client");
    }
}
