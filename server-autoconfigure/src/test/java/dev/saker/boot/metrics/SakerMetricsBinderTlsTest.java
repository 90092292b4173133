package dev.saker.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import dev.saker.server.tls.TlsConfig;
import dev.saker.server.tls.TlsProvider;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SakerMetricsBinderTlsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start() {
        TlsConfig tls = TlsConfig.builder(TestTls.material("server")).provider(TlsProvider.JDK)
                .serverName("alt.example", TestTls.material("alt")).build();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).tls(tls).build(),
                ex -> ex.send("ok")).start();
        SakerMetricsBinder.bind(server, registry);
    }

    @Test
    void handshakesAreCountedByResultAndProtocolAndTimed() throws Exception {
        start();
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null);
                RawClient http = new RawClient(socket)) {
            http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(http.read().status()).isEqualTo(200);
        }
        try (RawClient cleartext = new RawClient(server.port())) {
            cleartext.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(cleartext.read().status()).isEqualTo(400);
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(registry.get("saker.tls.handshakes").tags("result", "success", "protocol", "TLSv1.3")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("saker.tls.handshakes").tags("result", "success", "protocol", "TLSv1.2")
                .functionCounter().count()).isZero();
        assertThat(registry.get("saker.tls.handshakes").tags("result", "not_tls", "protocol", "none")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("saker.tls.handshakes").tags("result", "timeout").functionCounter().count()).isZero();
        FunctionTimer duration = registry.get("saker.tls.handshake.duration").tag("protocol", "TLSv1.3").functionTimer();
        assertThat(duration.count()).isEqualTo(1);
        assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void certificateExpiryIsOneGaugePerServedCertificateAndFollowsReloads() {
        start();
        assertThat(expiry("default", TestTls.certificate("server")).value())
                .isCloseTo(secondsLeft(TestTls.certificate("server")), org.assertj.core.data.Offset.offset(60.0));
        assertThat(expiry("alt.example", TestTls.certificate("alt")).value()).isPositive();
        assertThat(registry.get("saker.tls.certificate.expiry").gauges()).hasSize(2);
        server.reloadTls(TestTls.material("server2"), Map.of());
        assertThat(registry.get("saker.tls.certificate.expiry").gauges()).hasSize(1);
        assertThat(expiry("default", TestTls.certificate("server2")).value()).isPositive();
    }

    @Test
    void noTlsMetersWithoutTls() {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build(),
                ex -> ex.send("ok")).start();
        SakerMetricsBinder.bind(server, registry);
        assertThat(registry.find("saker.tls.handshakes").meters()).isEmpty();
        assertThat(registry.find("saker.tls.certificate.expiry").meters()).isEmpty();
    }

    private Gauge expiry(String serverName, X509Certificate certificate) {
        return registry.get("saker.tls.certificate.expiry").tags("server.name", serverName,
                "subject", certificate.getSubjectX500Principal().getName(),
                "serial", certificate.getSerialNumber().toString(16)).gauge();
    }

    private static double secondsLeft(X509Certificate certificate) {
        return Duration.between(Instant.now(), certificate.getNotAfter().toInstant()).toSeconds();
    }
}
