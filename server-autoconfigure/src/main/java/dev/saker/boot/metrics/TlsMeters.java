package dev.saker.boot.metrics;

import dev.saker.server.observe.HandshakeFailure;
import dev.saker.server.observe.ServedCertificate;
import dev.saker.server.observe.TlsStats;
import dev.saker.server.tls.TlsConfig;
import dev.saker.server.tls.TlsMaterial;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The TLS meters of a server with TLS: handshakes by result and protocol version, handshake
 * durations, and the days left on each served certificate (one row per certificate, replaced on reload).
 */
final class TlsMeters {

    /** The {@code protocol} tag of failed handshakes, whose version was never agreed. */
    static final String NO_PROTOCOL = "none";

    private TlsMeters() {
    }

    static void bind(TlsConfig config, TlsStats stats, Tags tags, MeterRegistry registry) {
        for (String protocol : protocols(config)) {
            FunctionCounter.builder("saker.tls.handshakes", stats, s -> s.handshakesSucceeded(protocol).count())
                    .tags(tags).tags("result", "success", "protocol", protocol)
                    .description("TLS handshakes by result (success or why they failed) and protocol version")
                    .register(registry);
            FunctionTimer.builder("saker.tls.handshake.duration", stats, s -> s.handshakesSucceeded(protocol).count(),
                            s -> s.handshakesSucceeded(protocol).totalNanos(), TimeUnit.NANOSECONDS)
                    .tags(tags).tag("protocol", protocol)
                    .description("Time from accept to a finished TLS handshake").register(registry);
        }
        for (HandshakeFailure failure : HandshakeFailure.values()) {
            FunctionCounter.builder("saker.tls.handshakes", stats, s -> s.handshakesFailed(failure))
                    .tags(tags).tags("result", failure.tag(), "protocol", NO_PROTOCOL)
                    .description("TLS handshakes by result (success or why they failed) and protocol version")
                    .register(registry);
        }
        MultiGauge expiry = MultiGauge.builder("saker.tls.certificate.expiry").baseUnit("seconds")
                .description("Time left until a served certificate expires (negative once expired)").register(registry);
        stats.onCertificatesChanged(served -> expiry.register(rows(served, tags), true));
    }

    private static List<MultiGauge.Row<?>> rows(List<ServedCertificate> served, Tags server) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (ServedCertificate certificate : served) {
            Tags tags = server.and("server.name", certificate.serverName(), "subject", certificate.subject(),
                    "serial", certificate.serial().toString(16));
            rows.add(MultiGauge.Row.of(tags, certificate, TlsMeters::secondsLeft));
        }
        return rows;
    }

    static double secondsLeft(ServedCertificate certificate) {
        return Duration.between(Instant.now(), certificate.notAfter()).toSeconds();
    }

    /** TLS 1.3 and 1.2 (every provider's defaults) and any other version the configuration enables. */
    private static Set<String> protocols(TlsConfig config) {
        Set<String> protocols = new LinkedHashSet<>(List.of("TLSv1.3", "TLSv1.2"));
        protocols.addAll(config.defaultMaterial().protocols());
        for (TlsMaterial material : config.serverNames().values()) {
            protocols.addAll(material.protocols());
        }
        protocols.remove("SSLv2Hello");
        return protocols;
    }
}
