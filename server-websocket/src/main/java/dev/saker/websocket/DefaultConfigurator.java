package dev.saker.websocket;

import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Saker's container default configurator (found through {@code META-INF/services}, so that
 * {@code ServerEndpointConfig.Configurator}'s own methods delegate here): a new endpoint instance
 * per session, any origin accepted, the client's first subprotocol the endpoint supports, and the
 * client's extensions that the container has installed, in the client's order.
 */
public class DefaultConfigurator extends ServerEndpointConfig.Configurator {

    @Override
    public ServerEndpointConfig.Configurator getContainerDefaultConfigurator() {
        return this;
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        for (String protocol : requested) {
            if (supported.contains(protocol)) {
                return protocol;
            }
        }
        return "";
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        List<Extension> chosen = new ArrayList<>();
        for (Extension offer : requested) {
            for (Extension mine : installed) {
                if (mine.getName().equals(offer.getName()) && chosen.stream().noneMatch(e -> e.getName().equals(offer.getName()))) {
                    chosen.add(offer);
                }
            }
        }
        return chosen;
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return true;
    }

    /** Changes nothing: the handshake's response is the container's. */
    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        try {
            return endpointClass.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            InstantiationException failure = new InstantiationException(endpointClass.getName() + " failed in its constructor");
            failure.initCause(e.getCause());
            throw failure;
        } catch (ReflectiveOperationException e) {
            InstantiationException failure = new InstantiationException("cannot make " + endpointClass.getName()
                    + ": it needs a public no-argument constructor");
            failure.initCause(e);
            throw failure;
        }
    }
}
