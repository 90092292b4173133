package dev.saker.reactive;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import dev.saker.server.testing.Poll;
import org.springframework.http.server.reactive.HttpHandler;

/** A Saker server on loopback running a Spring reactive handler through the adapter, on the event loop. */
final class ReactiveServer implements AutoCloseable {

    final SakerServer server;

    ReactiveServer(HttpHandler handler) {
        this(handler, UnaryOperator.identity());
    }

    ReactiveServer(HttpHandler handler, UnaryOperator<ServerConfig.Builder> tweak) {
        ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.EVENT_LOOP);
        server = SakerServer.create(tweak.apply(config).build(), new SakerHttpHandlerAdapter(handler)).start();
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * Waits until {@code value} has stopped changing for a while (a flow held up by backpressure has
     * settled); bounded.
     */
    static long settled(LongSupplier value) {
        long[] last = {value.getAsLong(), System.nanoTime()};
        boolean quiet = Poll.until(Duration.ofSeconds(20), () -> {
            long now = value.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
                return false;
            }
            return System.nanoTime() - last[1] > Duration.ofMillis(300).toNanos();
        });
        if (!quiet) {
            throw new AssertionError("value kept changing: " + value.getAsLong());
        }
        return last[0];
    }
}
