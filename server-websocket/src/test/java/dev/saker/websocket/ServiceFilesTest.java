package dev.saker.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceFilesTest {

    @Test
    void defaultConfiguratorIsTheContainers() {
        // ServerEndpointConfig.Configurator's own methods delegate to the container's default.
        ServerEndpointConfig.Configurator plain = new ServerEndpointConfig.Configurator();
        assertThat(plain.getContainerDefaultConfigurator()).isInstanceOf(DefaultConfigurator.class);
        assertThat(plain.checkOrigin("https://any.example")).isTrue();
        assertThat(plain.getNegotiatedSubprotocol(java.util.List.of("b", "a"), java.util.List.of("a", "b"))).isEqualTo("a");
    }

    @Test
    void initializerIsListed() {
        assertThat(ServiceLoader.load(ServletContainerInitializer.class).stream().map(ServiceLoader.Provider::type))
                .contains(WebSocketInitializer.class);
    }
}
