package dev.saker.websocket.server;

import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An endpoint's config as one session sees it (as Tomcat does for the 2.1 clarification): the same
 * settings, with user properties of its own, copied from the endpoint's when the handshake begins,
 * so that {@code modifyHandshake} and {@code onOpen} of concurrent handshakes do not share a map.
 */
final class PerSessionConfig implements ServerEndpointConfig {

    private final ServerEndpointConfig endpoint;
    private final Map<String, Object> userProperties;

    PerSessionConfig(ServerEndpointConfig endpoint) {
        this.endpoint = endpoint;
        this.userProperties = new ConcurrentHashMap<>(endpoint.getUserProperties());
    }

    @Override
    public Class<?> getEndpointClass() {
        return endpoint.getEndpointClass();
    }

    @Override
    public String getPath() {
        return endpoint.getPath();
    }

    @Override
    public List<String> getSubprotocols() {
        return endpoint.getSubprotocols();
    }

    @Override
    public List<Extension> getExtensions() {
        return endpoint.getExtensions();
    }

    @Override
    public Configurator getConfigurator() {
        return endpoint.getConfigurator();
    }

    @Override
    public List<Class<? extends Encoder>> getEncoders() {
        return endpoint.getEncoders();
    }

    @Override
    public List<Class<? extends Decoder>> getDecoders() {
        return endpoint.getDecoders();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return userProperties;
    }
}
