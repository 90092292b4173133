package dev.saker.servlet.upgrade;

import dev.saker.server.connection.UpgradedProtocol;
import dev.saker.server.upgrade.ByteStream;
import dev.saker.server.upgrade.ByteStreamProtocol;
import dev.saker.servlet.util.SerialExecutor;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an upgraded request becomes once its {@code 101} is out (Servlet 6.1, 2.3.3.5): the
 * engine's raw byte stream, whose opening calls {@link HttpUpgradeHandler#init} with a
 * {@link SakerWebConnection} and whose close calls {@link HttpUpgradeHandler#destroy}, both on a
 * container thread, in order with the connection's non-blocking listener callbacks (never on the
 * event loop: a handler may block).
 */
public final class ServletUpgrade {

    private static final Logger log = LoggerFactory.getLogger(ServletUpgrade.class);

    private ServletUpgrade() {
    }

    /**
     * @param handler the handler {@code HttpServletRequest.upgrade} made
     * @param executor container threads for the handler's calls and listeners
     * @param idleTimeout how long the connection may carry no byte before it is closed (zero: no limit)
     */
    public static UpgradedProtocol protocol(HttpUpgradeHandler handler, Executor executor, Duration idleTimeout) {
        return new ByteStreamProtocol(stream -> open(stream, handler, executor), idleTimeout);
    }

    private static void open(ByteStream stream, HttpUpgradeHandler handler, Executor executor) {
        SerialExecutor callbacks = new SerialExecutor(executor);
        SakerWebConnection connection = new SakerWebConnection(stream, callbacks);
        callbacks.execute(() -> {
            try {
                handler.init(connection);
            } catch (Throwable t) {
                log.error("HttpUpgradeHandler {} failed in init; closing its connection", handler.getClass().getName(), t);
                stream.close();
            }
        });
        // Registered after init was queued: destroy comes after init and after the listeners heard the end.
        stream.onClose(() -> callbacks.execute(() -> destroy(handler, connection)));
    }

    private static void destroy(HttpUpgradeHandler handler, SakerWebConnection connection) {
        try {
            handler.destroy();
        } catch (Throwable t) {
            log.error("HttpUpgradeHandler {} failed in destroy", handler.getClass().getName(), t);
        } finally {
            try {
                connection.released();
            } catch (IOException e) {
                log.debug("releasing the input of an upgraded connection failed", e);
            }
        }
    }
}
