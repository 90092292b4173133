package dev.saker.bench;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.transport.TransportKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/**
 * Load peer: Saker's core API, handlers on the event loop, epoll. Serves the benchmark endpoints
 * ({@code /plaintext}, {@code /json}, {@code /bytes16k}, {@code POST /upload} answering the body's
 * length, read without blocking, and {@code /static/file-1m.bin} from memory); anything else is a 404.
 *
 * <p>Usage: {@code SakerCoreServer [port [eventLoops]]} (defaults 8080, 1).
 */
public final class SakerCoreServer {

    private static final ByteBuf STATIC_FILE = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes(Payloads.staticFile())).asReadOnly();

    private SakerCoreServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        ServerConfig config = ServerConfig.builder()
                .host("127.0.0.1")
                .port(port)
                .ioThreads(threads)
                .transport(TransportKind.EPOLL)
                .dispatchMode(DispatchMode.EVENT_LOOP)
                .maxConnections(20_000)
                .build();
        SakerServer server = SakerServer.create(config, SakerCoreServer::handle).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "saker-bench-stop"));
        System.out.println("saker-core listening on 127.0.0.1:" + server.port() + " (" + server.transport()
                + ", " + threads + " event loop(s))");
        Thread.currentThread().join();
    }

    static void handle(HttpExchange exchange) {
        String path = exchange.rawPath();
        switch (path) {
            case "/plaintext" -> send(exchange, "text/plain", Payloads.HELLO);
            case "/json" -> send(exchange, "application/json", Payloads.json());
            case "/bytes16k" -> send(exchange, "application/octet-stream", Payloads.BYTES_16K);
            case "/upload" -> {
                exchange.async();
                exchange.requestBody().read(new LengthCounter(exchange));
            }
            default -> {
                if (path.equals(Payloads.STATIC_PREFIX + Payloads.STATIC_NAME)) {
                    exchange.responseHeaders().set("Content-Type", "application/octet-stream");
                    exchange.send(STATIC_FILE.duplicate());
                } else {
                    exchange.status(404).send(new byte[0]);
                }
            }
        }
    }

    private static void send(HttpExchange exchange, String contentType, byte[] body) {
        exchange.responseHeaders().set("Content-Type", contentType);
        exchange.send(body);
    }

    /** Counts the request body as it arrives, then answers its length. */
    private static final class LengthCounter implements BodyConsumer {
        private final HttpExchange exchange;
        private long length;

        LengthCounter(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void onData(ByteBuf data, boolean last) {
            length += data.readableBytes();
            if (last) {
                send(exchange, "text/plain", Long.toString(length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } else {
                exchange.requestBody().read(this);
            }
        }

        @Override
        public void onError(IOException error) {
            if (!exchange.committed()) {
                exchange.status(400).send(new byte[0]);
            }
        }
    }
}
