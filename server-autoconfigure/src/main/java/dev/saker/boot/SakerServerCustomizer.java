package dev.saker.boot;

import dev.saker.server.lifecycle.ServerConfig;

/**
 * Customizes the engine configuration of a Saker web server, the counterpart of Tomcat's connector
 * customizers. Beans of this type are applied by the auto-configured factory, in order.
 */
@FunctionalInterface
public interface SakerServerCustomizer {

    /** @param config the engine settings, already holding what properties and the factory set */
    void customize(ServerConfig.Builder config);
}
