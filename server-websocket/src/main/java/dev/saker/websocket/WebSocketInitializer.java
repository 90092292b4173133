package dev.saker.websocket;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;

/**
 * Installs the container in each context ({@link SakerWebSocket#install(ServletContext)}), for
 * containers that run the initializers listed in {@code META-INF/services}. Saker's own container
 * runs the initializers it is given: add this one ({@code addServletContainerInitializer}) or call
 * {@link SakerWebSocket#install} directly, as the Boot auto-configuration does.
 */
public final class WebSocketInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        SakerWebSocket.install(context);
    }
}
