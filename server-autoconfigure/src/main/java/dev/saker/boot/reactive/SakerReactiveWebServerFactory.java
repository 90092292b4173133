package dev.saker.boot.reactive;

import dev.saker.boot.AbstractSakerWebServerFactory;
import dev.saker.boot.SakerWebServer;
import dev.saker.reactive.SakerHttpHandlerAdapter;
import dev.saker.reactive.forwarded.ForwardedHeadersHandler;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.ServerConfig;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * A {@link ConfigurableReactiveWebServerFactory} that runs a WebFlux application's
 * {@link HttpHandler} on a Saker server through {@link SakerHttpHandlerAdapter}, with no Servlet
 * layer. The settings are those the Servlet factory shares ({@link AbstractSakerWebServerFactory}).
 *
 * <p>Handlers run on the event loop ({@link DispatchMode#EVENT_LOOP}) by default: a reactive
 * application never blocks its request thread (it moves blocking work to a scheduler), and running
 * on the loop saves a thread hand-off per request and per body read, as Reactor Netty does. A
 * worker dispatch mode can still be set for an application that blocks where it should not.
 */
public class SakerReactiveWebServerFactory extends AbstractSakerWebServerFactory
        implements ConfigurableReactiveWebServerFactory {

    public SakerReactiveWebServerFactory() {
        super(DispatchMode.EVENT_LOOP);
    }

    public SakerReactiveWebServerFactory(int port) {
        super(DispatchMode.EVENT_LOOP, port);
    }

    @Override
    public WebServer getWebServer(HttpHandler httpHandler) {
        ServerConfig config = checkedEngineConfig();
        HttpHandler application = isUseForwardHeaders()
                ? new ForwardedHeadersHandler(httpHandler, getTrustedProxies()) : httpHandler;
        dev.saker.server.http.HttpHandler handler = new SakerHttpHandlerAdapter(ReactiveCompression.wrap(application, getCompression()));
        return createWebServer(config, handler,
                (server, graceful) -> new SakerWebServer(server, new ReactiveApplication(), graceful));
    }

    /** A reactive handler keeps no state across restarts: nothing to load, start or save. */
    private static final class ReactiveApplication implements SakerWebServer.Application {

        @Override
        public void beforeStart() {
            // The handler is ready when the factory returns; there is no session store to load.
        }

        @Override
        public void afterStart() {
            // No load-on-startup components in a reactive application.
        }

        @Override
        public void afterStop() {
            // No session store to save (WebFlux sessions live in a WebSessionStore bean).
        }

        @Override
        public void destroy() {
            // The handler belongs to the application context, which closes it.
        }

        @Override
        public String contextPath() {
            return "";
        }
    }
}
