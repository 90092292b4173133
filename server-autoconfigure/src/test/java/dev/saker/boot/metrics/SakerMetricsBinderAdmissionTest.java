package dev.saker.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.admission.AdmissionConfig;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.AdmissionRejection;
import dev.saker.server.testing.RawClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SakerMetricsBinderAdmissionTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void rejectionsAreCountedByReason() throws Exception {
        // A rate so low that the second request finds no token, whatever the clock does meanwhile.
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .admission(AdmissionConfig.builder().requestsPerSecond(0.001).burst(1).build()).build(),
                ex -> ex.send("ok")).start();
        SakerMetricsBinder.bind(server, registry);
        try (RawClient client = new RawClient(server.port())) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(429);
        }
        for (AdmissionRejection reason : AdmissionRejection.values()) {
            double expected = reason == AdmissionRejection.CLIENT_RATE ? 1 : 0;
            assertThat(registry.get("saker.admission.rejected").tag("reason", reason.tag()).functionCounter().count())
                    .as(reason.tag()).isEqualTo(expected);
        }
    }
}
