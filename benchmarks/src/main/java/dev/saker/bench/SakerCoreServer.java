package dev.saker.bench;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.transport.TransportKind;
import java.nio.charset.StandardCharsets;

/**
 * Load peer: Saker's core API, handlers on the event loop, epoll. {@code /plaintext} answers
 * {@code Hello, World!} as text/plain; anything else is a 404.
 *
 * <p>Usage: {@code SakerCoreServer [port [eventLoops]]} (defaults 8080, 1).
 */
public final class SakerCoreServer {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private SakerCoreServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        HttpHandler handler = exchange -> {
            if (exchange.rawPath().equals("/plaintext")) {
                exchange.responseHeaders().set("Content-Type", "text/plain");
                exchange.send(HELLO);
            } else {
                exchange.status(404).send(new byte[0]);
            }
        };
        ServerConfig config = ServerConfig.builder()
                .host("127.0.0.1")
                .port(port)
                .ioThreads(threads)
                .transport(TransportKind.EPOLL)
                .dispatchMode(DispatchMode.EVENT_LOOP)
                .build();
        SakerServer server = SakerServer.create(config, handler).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "saker-bench-stop"));
        System.out.println("saker-core listening on 127.0.0.1:" + server.port() + " (" + server.transport()
                + ", " + threads + " event loop(s))");
        Thread.currentThread().join();
    }
}
