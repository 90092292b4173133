package dev.saker.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.testing.RawClient;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void servesPipelinedRequestsInOrder() throws Exception {
        for (DispatchMode mode : new DispatchMode[] {DispatchMode.EVENT_LOOP, DispatchMode.WORKER_POOL}) {
            SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                    .dispatchMode(mode).build(), ex -> ex.send(ex.path()));
            server.start();
            try (RawClient client = new RawClient(server.port())) {
                client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("/a");
                assertThat(client.read().bodyText()).isEqualTo("/b");
                assertThat(client.read().bodyText()).isEqualTo("/c");
            } finally {
                server.stop();
            }
        }
    }
}
