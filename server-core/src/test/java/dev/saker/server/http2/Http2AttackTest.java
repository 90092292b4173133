package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rapid Reset driven by a real codec client (Netty's, which resets each stream it opens); the other
 * floods, written as raw frames, are in {@link Http2FloodTest}.
 */
class Http2AttackTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    /** CVE-2023-44487: streams opened and reset at once, over and over, end the connection. */
    @Test
    void rapidResetClosesTheConnection() throws Exception {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true).build(),
                ex -> ex.send("x")).start();
        try (H2Client client = new H2Client(server.port(), null)) {
            int sent = 0;
            for (; sent < 1000 && client.isOpen(); sent++) {
                Http2StreamChannel stream;
                try {
                    stream = client.openStream();
                } catch (java.nio.channels.ClosedChannelException closedMeanwhile) {
                    break;
                }
                stream.write(new DefaultHttp2HeadersFrame(
                        new DefaultHttp2Headers().method("GET").path("/").scheme("http").authority("localhost"), false));
                stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
            }
            assertThat(Poll.until(Duration.ofSeconds(10), () -> !client.isOpen())).as("closed after %d resets", sent).isTrue();
            // The GOAWAY(ENHANCE_YOUR_CALM) the server sends is not asserted: the server closes with
            // the client's frames unread, so the client's kernel may answer with a reset that drops it.
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
        assertThat(server.stats().http2().resetsReceived(Http2Error.CANCEL.code())).isPositive();
        assertThat(server.stats().http2().goAwaysSent(Http2Error.ENHANCE_YOUR_CALM.code())).isEqualTo(1);
        assertThat(server.stats().http2().streamsActive()).isZero();
        assertThat(server.stats().connectionsClosed(CloseReason.FLOOD)).as("close reason").isEqualTo(1);
    }
}
