package dev.saker.server.http2;

import static dev.saker.server.http2.H2FrameClient.END_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link HttpExchange#onClientGone} on HTTP/2: the client resetting the stream of a held response. */
class Http2ClientGoneTest {

    private static final int CANCEL = 0x8;

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    @Test
    void aResetStreamIsHeardAtOnceAndTheOtherStreamsGoOn() throws Exception {
        BlockingQueue<HttpExchange> held = new LinkedBlockingQueue<>();
        BlockingQueue<String> gone = new LinkedBlockingQueue<>();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true).build(), ex -> {
            ex.async();
            String path = ex.path();
            ex.onClientGone(() -> gone.add(path));
            held.add(ex);
        }).start();
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.handshake();
            client.request(1, END_STREAM, "GET", "/reset").request(3, END_STREAM, "GET", "/kept").flush();
            HttpExchange first = held.poll(10, TimeUnit.SECONDS);
            HttpExchange second = held.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            HttpExchange reset = first.path().equals("/reset") ? first : second;
            HttpExchange kept = reset == first ? second : first;
            client.rstStream(1, CANCEL).flush();
            assertThat(gone.poll(10, TimeUnit.SECONDS)).as("client gone heard").isEqualTo("/reset");
            reset.send("nobody reads this");
            kept.send("kept");
            assertThat(new String(client.readResponse(3).body())).isEqualTo("kept");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
            // The completed stream closed too: that is no client leaving.
            assertThat(gone).as("only the reset stream heard it").isEmpty();
        }
    }
}
