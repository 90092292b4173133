package dev.saker.websocket;

import dev.saker.server.websocket.WebSocketConfig;
import dev.saker.websocket.server.SakerServerContainer;
import dev.saker.websocket.server.WebSocketUpgradeFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.server.ServerContainer;
import java.util.EnumSet;

/**
 * Installs the Jakarta WebSocket container in a {@code ServletContext}: the
 * {@link SakerServerContainer} as the {@value #CONTAINER_ATTRIBUTE} attribute, the filter that
 * serves its endpoints' paths, and a listener that closes the open sessions (1001) when the
 * context stops. Call it while the context starts (a {@code ServletContainerInitializer}, Boot's
 * {@code ServletContextInitializer}); {@link WebSocketInitializer} does it from
 * {@code META-INF/services}.
 */
public final class SakerWebSocket {

    /** The attribute the specification names for the container (6.4). */
    public static final String CONTAINER_ATTRIBUTE = ServerContainer.class.getName();
    static final String FILTER_NAME = "sakerWebSocketUpgradeFilter";

    private SakerWebSocket() {
    }

    /** {@link #install(ServletContext, WebSocketConfig)} with the engine's default settings. */
    public static SakerServerContainer install(ServletContext context) {
        return install(context, WebSocketConfig.defaults());
    }

    /**
     * @param engineDefaults the settings sessions start from (message limits, idle, write and close
     *     timeouts, permessage-deflate)
     * @return the container, or the one installed already (its settings then left as they are)
     */
    public static synchronized SakerServerContainer install(ServletContext context, WebSocketConfig engineDefaults) {
        Object existing = context.getAttribute(CONTAINER_ATTRIBUTE);
        if (existing instanceof SakerServerContainer container) {
            return container;
        }
        SakerServerContainer container = new SakerServerContainer(engineDefaults);
        context.setAttribute(CONTAINER_ATTRIBUTE, container);
        FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, new WebSocketUpgradeFilter(container));
        if (filter != null) {
            filter.setAsyncSupported(true);
            // After the application's filters (as Tomcat's WsFilter): a security filter sees the handshake first.
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        }
        context.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                container.closeAll();
            }
        });
        return container;
    }
}
