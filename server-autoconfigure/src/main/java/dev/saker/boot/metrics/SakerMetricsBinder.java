package dev.saker.boot.metrics;

import dev.saker.boot.SakerWebServer;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.observe.AdmissionRejection;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.observe.TimeoutKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Binds the Saker server's meters once the application has started (when its web server exists).
 * Engine-level meters only: what Spring's {@code http.server.requests} already measures per request
 * is not duplicated, and no tag carries a URI or a client address.
 */
public class SakerMetricsBinder implements ApplicationListener<ApplicationStartedEvent> {

    /** Error reasons reported as {@code saker.requests.errors{reason}}. */
    static final String[] ERROR_REASONS = {"bad_request", "header_too_large", "body_too_large", "unsupported", "timeout",
        "reset", "rejected"};

    private final MeterRegistry registry;

    public SakerMetricsBinder(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        ApplicationContext context = event.getApplicationContext();
        if (context instanceof WebServerApplicationContext) {
            WebServer webServer = ((WebServerApplicationContext) context).getWebServer();
            if (webServer instanceof SakerWebServer) {
                bind(((SakerWebServer) webServer).server(), registry);
            }
        }
    }

    /** Registers every Saker meter for {@code server} on {@code registry}. */
    public static void bind(SakerServer server, MeterRegistry registry) {
        ServerStats stats = server.stats();
        Tags transport = Tags.of("transport", String.valueOf(server.transport()).toLowerCase(Locale.ROOT));
        Gauge.builder("saker.connections.active", stats, ServerStats::connectionsActive).tags(transport)
                .description("Open connections").baseUnit("connections").register(registry);
        FunctionCounter.builder("saker.connections.accepted", stats, ServerStats::connectionsAccepted).tags(transport)
                .description("Connections accepted").baseUnit("connections").register(registry);
        FunctionCounter.builder("saker.connections.accept.pauses", stats, ServerStats::acceptPauses).tags(transport)
                .description("Times accepting paused because max-connections were open (new ones wait in the backlog)")
                .register(registry);
        FunctionTimer.builder("saker.connections.duration", stats, ServerStats::connectionsClosed,
                        ServerStats::connectionsClosedNanos, TimeUnit.NANOSECONDS).tags(transport)
                .description("Lifetime of closed connections").register(registry);
        Gauge.builder("saker.requests.active", stats, ServerStats::requestsActive)
                .description("Requests being handled").baseUnit("requests").register(registry);
        for (String reason : ERROR_REASONS) {
            FunctionCounter.builder("saker.requests.errors", stats, errors(reason)).tag("reason", reason)
                    .description("Requests the server refused or lost, by reason").baseUnit("requests").register(registry);
        }
        FunctionCounter.builder("saker.bytes.received", stats, ServerStats::bytesReceived).tags(transport)
                .description("Bytes read from clients").baseUnit("bytes").register(registry);
        FunctionCounter.builder("saker.bytes.sent", stats, ServerStats::bytesSent).tags(transport)
                .description("Bytes written to clients").baseUnit("bytes").register(registry);
        Gauge.builder("saker.threads.busy", server, SakerServer::busyWorkers)
                .description("Worker threads running a request").baseUnit("threads").register(registry);
        Gauge.builder("saker.threads.max", server, s -> s.maxWorkers() == Integer.MAX_VALUE ? Double.POSITIVE_INFINITY : s.maxWorkers())
                .description("Most worker threads (infinite for virtual threads)").baseUnit("threads").register(registry);
        if (server.config().tls() != null) {
            TlsMeters.bind(server.config().tls(), stats.tls(), registry);
        }
        if (server.config().http2()) {
            Http2Meters.bind(stats.http2(), registry);
        }
        for (AdmissionRejection reason : AdmissionRejection.values()) {
            FunctionCounter.builder("saker.admission.rejected", stats.admission(), a -> a.rejectedCount(reason))
                    .tag("reason", reason.tag()).description("Connections and requests refused by admission control")
                    .register(registry);
        }
    }

    /** @return how to read the count of one error reason from the stats */
    static ToDoubleFunction<ServerStats> errors(String reason) {
        switch (reason) {
            case "header_too_large":
                return s -> parseErrors(s, "head_too_large", "too_many_fields", "uri_too_long", "trailers_too_large");
            case "body_too_large":
                return s -> parseErrors(s, "body_too_large");
            case "unsupported":
                return s -> parseErrors(s, "unsupported_coding", "version_unsupported", "expectation");
            case "timeout":
                return s -> s.timeouts(TimeoutKind.HEAD) + s.timeouts(TimeoutKind.BODY_READ) + s.timeouts(TimeoutKind.WRITE);
            case "reset":
                return s -> s.connectionsClosed(CloseReason.RESET);
            case "rejected":
                return ServerStats::requestsRejected;
            default:
                return s -> s.parseErrorsTotal() - parseErrors(s, "head_too_large", "too_many_fields", "uri_too_long",
                        "trailers_too_large", "body_too_large", "unsupported_coding", "version_unsupported", "expectation",
                        "head_timeout", "body_timeout");
        }
    }

    private static double parseErrors(ServerStats stats, String... reasons) {
        Map<String, Long> all = stats.parseErrors();
        long sum = 0;
        for (String reason : reasons) {
            sum += all.getOrDefault(reason, 0L);
        }
        return sum;
    }
}
