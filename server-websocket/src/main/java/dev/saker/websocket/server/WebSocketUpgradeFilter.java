package dev.saker.websocket.server;

import dev.saker.websocket.path.EndpointRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.Collections;
import java.util.Locale;

/**
 * Upgrades requests for the paths of the endpoints added to the container
 * ({@code ServerContainer.addEndpoint}, as Spring's {@code ServerEndpointExporter} does); every
 * other request, and a request without {@code Upgrade: websocket}, goes down the chain untouched.
 */
public final class WebSocketUpgradeFilter extends GenericFilter {

    private final SakerServerContainer container;

    public WebSocketUpgradeFilter(SakerServerContainer container) {
        this.container = container;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!container.hasEndpoints() || !(request instanceof HttpServletRequest req)
                || !(response instanceof HttpServletResponse resp) || !asksForWebSocket(req)) {
            chain.doFilter(request, response);
            return;
        }
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        EndpointRegistry.Match<ServerEndpointConfig> match = container.match(path);
        if (match == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            container.upgradeHttpToWebSocket(req, resp, match.endpoint(), match.pathParameters());
        } catch (DeploymentException e) {
            throw new ServletException("WebSocket upgrade to " + match.endpoint().getPath() + " failed", e);
        }
    }

    private static boolean asksForWebSocket(HttpServletRequest request) {
        for (String value : Collections.list(request.getHeaders("Upgrade"))) {
            for (String token : value.split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).equals("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }
}
