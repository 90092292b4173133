package dev.saker.server.example;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The smallest Saker application: answers every request with {@code Hello, World!} from the event
 * loop. The port comes from {@code --port N}, else the {@code PORT} environment variable, else 8080.
 * SIGTERM drains it gracefully (10 s deadline).
 */
public final class HelloWorld {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private HelloWorld() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = port(args);
        HttpHandler hello = exchange -> {
            exchange.responseHeaders().set("Content-Type", "text/plain");
            exchange.send(HELLO);
        };
        SakerServer server = SakerServer.create(
                ServerConfig.builder().port(port).dispatchMode(DispatchMode.EVENT_LOOP).build(), hello);
        server.start().registerShutdownHook(Duration.ofSeconds(10));
        System.out.println("Hello-world server on http://localhost:" + server.port() + "/ (" + server.transport()
                + ", Ctrl-C to stop)");
        Thread.currentThread().join();
    }

    static int port(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--port")) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        String env = System.getenv("PORT");
        return env == null || env.isBlank() ? 8080 : Integer.parseInt(env.trim());
    }
}
