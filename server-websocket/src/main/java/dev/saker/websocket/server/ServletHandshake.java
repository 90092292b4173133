package dev.saker.websocket.server;

import dev.saker.server.connection.UpgradedProtocol;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.ResponseHeaders;
import dev.saker.server.websocket.WebSocketConfig;
import dev.saker.server.websocket.WebSocketHandshake;
import dev.saker.servlet.request.SakerRequest;
import dev.saker.websocket.codec.SimpleExtension;
import dev.saker.websocket.endpoint.AnnotatedEndpoint;
import dev.saker.websocket.session.HandshakeInfo;
import dev.saker.websocket.session.SakerSession;
import dev.saker.websocket.session.SessionDriver;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code upgradeHttpToWebSocket}: the engine checks the opening handshake (400, or 426 for
 * another version), the endpoint's configurator checks the origin (403), picks the subprotocol and
 * extensions and may change the response; then the response becomes a 101 with the handshake's
 * fields and the connection switches to the engine's WebSocket protocol when the servlet returns.
 */
final class ServletHandshake {

    private static final String[] ENGINE_FIELDS = {"Upgrade", "Connection", "Sec-WebSocket-Accept",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"};

    private final SakerServerContainer container;

    ServletHandshake(SakerServerContainer container) {
        this.container = container;
    }

    void upgrade(HttpServletRequest request, HttpServletResponse response, ServerEndpointConfig endpointConfig,
            Map<String, String> pathParameters) throws IOException, DeploymentException {
        SakerRequest base = unwrap(request);
        HttpExchange exchange = base.exchange();
        WebSocketHandshake handshake = WebSocketHandshake.of(exchange);
        if (!handshake.valid()) {
            if (handshake.failureStatus() == 426) {
                response.setHeader("Sec-WebSocket-Version", "13");
            }
            plain(response, handshake.failureStatus(), handshake.failure());
            return;
        }
        ServerEndpointConfig.Configurator configurator = endpointConfig.getConfigurator();
        if (!configurator.checkOrigin(request.getHeader("Origin"))) {
            plain(response, HttpServletResponse.SC_FORBIDDEN, "origin not allowed");
            return;
        }
        EndpointSetup setup = container.setupFor(endpointConfig);
        ServerEndpointConfig config = new PerSessionConfig(endpointConfig);
        String subprotocol = configurator.getNegotiatedSubprotocol(config.getSubprotocols(),
                handshake.requestedSubprotocols());
        if (subprotocol == null || subprotocol.isEmpty() || !handshake.requestedSubprotocols().contains(subprotocol)) {
            subprotocol = null;
        }
        List<Extension> negotiated = configurator.getNegotiatedExtensions(
                new ArrayList<>(container.getInstalledExtensions()), SimpleExtension.parse(handshake.requestedExtensions()));
        boolean deflate = negotiated.stream().anyMatch(e -> "permessage-deflate".equals(e.getName()));

        URI uri = requestUri(request);
        HandshakeRequestView handshakeRequest = new HandshakeRequestView(request, uri);
        Map<String, List<String>> extraFields = HandshakeRequestView.newResponseHeaders();
        HandshakeResponse handshakeResponse = () -> extraFields;
        configurator.modifyHandshake(config, handshakeRequest, handshakeResponse);
        Endpoint endpoint = endpoint(configurator, config, setup);

        WebSocketConfig engineConfig = container.engineConfig(setup, deflate);
        SessionDriver driver = new SessionDriver();
        UpgradedProtocol protocol = handshake.accept(subprotocol, engineConfig, driver);
        // The 101's fields go on the servlet response (filters and the application see them there);
        // the container copies them to the exchange when it switches.
        ResponseHeaders engineFields = exchange.responseHeaders();
        for (String name : ENGINE_FIELDS) {
            String value = engineFields.get(name);
            if (value != null) {
                response.setHeader(name, value);
                engineFields.remove(name);
            }
        }
        for (Map.Entry<String, List<String>> field : extraFields.entrySet()) {
            for (String value : field.getValue()) {
                response.addHeader(field.getKey(), value);
            }
        }
        String answeredExtensions = response.getHeader("Sec-WebSocket-Extensions");
        HandshakeInfo info = new HandshakeInfo(uri, request.getQueryString(), handshakeRequest.getParameterMap(),
                Map.copyOf(pathParameters == null ? Map.of() : pathParameters), handshakeRequest.getUserPrincipal(),
                request.isSecure(), subprotocol == null ? "" : subprotocol,
                List.copyOf(SimpleExtension.parse(answeredExtensions == null ? null : List.of(answeredExtensions))));
        SakerSession session = new SakerSession(container.nextSessionId(), container, endpoint, config, info,
                setup.sessions(), setup.encoders(), setup.decoders(), container.sessionLimits(setup));
        driver.session(session);
        base.upgrade(new DispatchingProtocol(protocol, driver, base.host()::execute));
        container.upgraded();
    }

    private static Endpoint endpoint(ServerEndpointConfig.Configurator configurator, ServerEndpointConfig config,
            EndpointSetup setup) throws DeploymentException {
        Object instance;
        try {
            instance = configurator.getEndpointInstance(config.getEndpointClass());
        } catch (InstantiationException e) {
            throw new DeploymentException("cannot make an instance of " + config.getEndpointClass().getName(), e);
        }
        if (instance instanceof Endpoint e) {
            return e;
        }
        if (setup.model() == null) {
            throw new DeploymentException(config.getEndpointClass().getName()
                    + " is neither an Endpoint nor an annotated endpoint");
        }
        return new AnnotatedEndpoint(setup.model(), instance);
    }

    /** @return the Saker request under any wrappers (a security filter's, Spring's) */
    static SakerRequest unwrap(ServletRequest request) {
        ServletRequest r = request;
        while (r instanceof ServletRequestWrapper wrapper) {
            r = wrapper.getRequest();
        }
        if (r instanceof SakerRequest saker) {
            return saker;
        }
        throw new IllegalArgumentException("not a request of Saker's Servlet container: " + request.getClass().getName());
    }

    /** @return {@code ws://host:port/path?query} (or {@code wss}), as sessions report it */
    private static URI requestUri(HttpServletRequest request) {
        StringBuilder s = new StringBuilder(request.isSecure() ? "wss://" : "ws://");
        s.append(request.getServerName().contains(":") ? "[" + request.getServerName() + "]" : request.getServerName());
        s.append(':').append(request.getServerPort()).append(request.getRequestURI());
        if (request.getQueryString() != null) {
            s.append('?').append(request.getQueryString());
        }
        try {
            return new URI(s.toString());
        } catch (URISyntaxException e) {
            return URI.create(request.getRequestURI().replace(" ", "%20"));
        }
    }

    private static void plain(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(message);
    }
}
