package dev.saker.boot.metrics;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.servlet.SakerServletWebServer;
import org.springframework.util.ClassUtils;
import dev.saker.server.accesslog.AccessLog;
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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Binds the Saker server's meters when a Saker web server starts: the application's and, with
 * {@code management.server.port}, the management server's (Boot starts it in a child context, whose
 * events reach this listener too), told apart by the tag {@code server} ({@code application} or
 * {@code management}). Engine-level meters only: what Spring's {@code http.server.requests} already
 * measures per request is not duplicated, and no tag carries a URI or a client address.
 */
public class SakerMetricsBinder implements ApplicationListener<WebServerInitializedEvent> {

    /** The {@code server} tag of the application's web server. */
    public static final String APPLICATION = "application";

    /** Error reasons reported as {@code saker.requests.errors{reason}}. */
    static final String[] ERROR_REASONS = {"bad_request", "header_too_large", "body_too_large", "unsupported", "timeout",
        "reset", "rejected"};

    /** Whether the Servlet container is on the class path (a reactive application may run without it). */
    private static final boolean SERVLET_PRESENT = ClassUtils.isPresent("dev.saker.servlet.SakerServletContainer",
            SakerMetricsBinder.class.getClassLoader());

    private final MeterRegistry registry;
    /** Servers already bound: a web server started again (a context restart) keeps its meters. */
    private final Set<SakerServer> bound = Collections.newSetFromMap(new IdentityHashMap<>());

    public SakerMetricsBinder(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (!(event.getWebServer() instanceof SakerWebServer)) {
            return;
        }
        SakerWebServer webServer = (SakerWebServer) event.getWebServer();
        synchronized (bound) {
            if (!bound.add(webServer.server())) {
                return;
            }
        }
        String namespace = event.getApplicationContext().getServerNamespace();
        bind(webServer, Tags.of("server", namespace == null ? APPLICATION : namespace), registry);
    }

    /** Registers the engine meters (and, for a servlet application, the session meters) of {@code webServer}, each with {@code tags}. */
    public static void bind(SakerWebServer webServer, Tags tags, MeterRegistry registry) {
        bind(webServer.server(), tags, registry);
        if (SERVLET_PRESENT && webServer instanceof SakerServletWebServer servlet) {
            SessionMeters.bind(servlet.container().sessions(), tags, registry);
        }
    }

    /** Registers every engine meter of {@code server} on {@code registry}, tagged {@code server=application}. */
    public static void bind(SakerServer server, MeterRegistry registry) {
        bind(server, Tags.of("server", APPLICATION), registry);
    }

    /** Registers every engine meter of {@code server} on {@code registry}, each with {@code tags}. */
    public static void bind(SakerServer server, Tags tags, MeterRegistry registry) {
        ServerStats stats = server.stats();
        Tags transport = tags.and("transport", String.valueOf(server.transport()).toLowerCase(Locale.ROOT));
        Gauge.builder("saker.connections.active", stats, ServerStats::connectionsActive).tags(transport)
                .description("Open connections").baseUnit("connections").register(registry);
        for (int loop = 0; loop < server.config().ioThreads(); loop++) {
            int index = loop;
            Gauge.builder("saker.connections.loop.active", server, s -> s.connectionsOnLoop(index)).tags(transport)
                    .tag("loop", String.valueOf(loop)).description("Open connections served by each event loop")
                    .baseUnit("connections").register(registry);
        }
        Gauge.builder("saker.connections.max", server, s -> maxConnections(s.config().maxConnections())).tags(tags)
                .description("Most open connections before accepting pauses (-1: no limit)").baseUnit("connections")
                .register(registry);
        FunctionCounter.builder("saker.connections.accepted", stats, ServerStats::connectionsAccepted).tags(transport)
                .description("Connections accepted").baseUnit("connections").register(registry);
        FunctionCounter.builder("saker.connections.accept.pauses", stats, ServerStats::acceptPauses).tags(transport)
                .description("Times accepting paused because max-connections were open (new ones wait in the backlog)")
                .register(registry);
        FunctionTimer.builder("saker.connections.duration", stats, ServerStats::connectionsClosed,
                        ServerStats::connectionsClosedNanos, TimeUnit.NANOSECONDS).tags(transport)
                .description("Lifetime of closed connections").register(registry);
        Gauge.builder("saker.requests.active", stats, ServerStats::requestsActive).tags(tags)
                .description("Requests being handled").baseUnit("requests").register(registry);
        Gauge.builder("saker.requests.queued", server, SakerServer::queuedRequests).tags(tags)
                .description("Requests waiting for a worker thread").baseUnit("requests").register(registry);
        for (String reason : ERROR_REASONS) {
            FunctionCounter.builder("saker.requests.errors", stats, errors(reason)).tags(tags).tag("reason", reason)
                    .description("Requests the server refused or lost, by reason").baseUnit("requests").register(registry);
        }
        ReasonMeters.bind(stats, tags, registry);
        FunctionCounter.builder("saker.bytes.received", stats, ServerStats::bytesReceived).tags(transport)
                .description("Bytes read from clients").baseUnit("bytes").register(registry);
        FunctionCounter.builder("saker.bytes.sent", stats, ServerStats::bytesSent).tags(transport)
                .description("Bytes written to clients").baseUnit("bytes").register(registry);
        Gauge.builder("saker.threads.busy", server, SakerServer::busyWorkers).tags(tags)
                .description("Worker threads running a request").baseUnit("threads").register(registry);
        Gauge.builder("saker.threads.current", server, SakerServer::currentWorkers).tags(tags)
                .description("Worker threads alive (busy or idle; virtual threads: those running a request)")
                .baseUnit("threads").register(registry);
        Gauge.builder("saker.threads.max", server, SakerServer::maxWorkers).tags(tags)
                .description("Most worker threads (virtual threads: most requests that can run at once)")
                .baseUnit("threads").register(registry);
        if (server.config().tls() != null) {
            TlsMeters.bind(server.config().tls(), stats.tls(), tags, registry);
        }
        if (server.config().http2()) {
            Http2Meters.bind(stats.http2(), tags, registry);
        }
        // Always: the engine has no WebSocket switch (any handler may upgrade), and the meters only read counters.
        WebSocketMeters.bind(stats.webSocket(), tags, registry);
        // The access log Saker makes (saker.server.accesslog.enabled, or a customizer's own AccessLog); another sink has no figures.
        if (server.config().accessLog() instanceof AccessLog) {
            AccessLogMeters.bind((AccessLog) server.config().accessLog(), tags, registry);
        }
        for (AdmissionRejection reason : AdmissionRejection.values()) {
            FunctionCounter.builder("saker.admission.rejected", stats.admission(), a -> a.rejectedCount(reason))
                    .tags(tags).tag("reason", reason.tag()).description("Connections and requests refused by admission control")
                    .register(registry);
        }
    }

    /** Reports "no limit" as Tomcat's {@code maxConnections} does: -1. */
    static double maxConnections(int configured) {
        return configured == Integer.MAX_VALUE ? -1 : configured;
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
