package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/**
 * A non-blocking writer on the event loop that writes from its {@code onResponseWritable} task (as
 * a reactive adapter does): what the task writes after the socket drained must reach the client
 * without any other event to flush it.
 */
class NonBlockingLoopWriterTest {

    private static final int PIECES = 2048;
    private static final int PIECE = 8192;

    private static void writeWhileWritable(HttpExchange exchange, OutputStream out, int[] left) {
        try {
            byte[] piece = new byte[PIECE];
            while (left[0] > 0 && exchange.responseWritable()) {
                out.write(piece);
                left[0]--;
            }
            if (left[0] == 0) {
                out.close();
            } else {
                exchange.onResponseWritable(() -> writeWhileWritable(exchange, out, left));
            }
        } catch (IOException e) {
            exchange.abort(e);
        }
    }

    @Test
    void aLargeBodyWrittenFromWritabilityTasksOnTheLoopReachesASlowClient() throws Exception {
        HttpHandler handler = exchange -> {
            exchange.async();
            OutputStream out = exchange.responseBody();
            int[] left = {PIECES};
            exchange.onResponseWritable(() -> writeWhileWritable(exchange, out, left));
        };
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.EVENT_LOOP).build(), handler).start();
        try (RawClient client = new RawClient(server.port())) {
            client.socket().setReceiveBufferSize(32 * 1024);
            RawClient.Response response = client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read();
            assertThat(response.body()).hasSize(PIECES * PIECE);
        } finally {
            server.stop();
        }
    }
}
