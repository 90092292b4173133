package dev.saker.boot.metrics;

import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.observe.TimeoutKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The detail behind {@code saker.requests.errors}: timeouts by kind, connection closes by reason and
 * parse errors by reason, each with every series from the start (zero until it happens).
 */
final class ReasonMeters {

    /**
     * Every parse error reason key the engine and the servlet container count (the keys of
     * {@link ServerStats#parseErrors()}); any other key is counted as {@link #OTHER}. A test checks
     * this list against the keys in the sources.
     */
    static final List<String> PARSE_REASONS = List.of(
            // HTTP/1.1 request line and fields
            "request_line", "method", "target", "version", "host", "field_name", "field_value", "obs_fold", "bare_lf",
            "content_length", "transfer_encoding",
            // chunked body framing
            "chunk_size", "chunk_extension", "chunk_data",
            // limits and unsupported features
            "head_too_large", "too_many_fields", "uri_too_long", "trailers_too_large", "body_too_large",
            "unsupported_coding", "version_unsupported", "expectation", "multipart",
            // deadlines that fail a request
            "head_timeout", "body_timeout",
            // malformed HTTP/2 requests (the stream is reset)
            "h2_bad_field", "h2_bad_length", "h2_connect_authority", "h2_connect_fields", "h2_host_mismatch",
            "h2_no_method", "h2_no_path", "h2_no_scheme");

    /** The {@code reason} of parse errors whose key is not in {@link #PARSE_REASONS}. */
    static final String OTHER = "other";

    private ReasonMeters() {
    }

    static void bind(ServerStats stats, Tags tags, MeterRegistry registry) {
        for (TimeoutKind kind : TimeoutKind.values()) {
            FunctionCounter.builder("saker.timeouts", stats, s -> s.timeouts(kind)).tags(tags).tag("kind", tag(kind))
                    .description("Deadlines that passed, by kind").register(registry);
        }
        for (CloseReason reason : CloseReason.values()) {
            FunctionCounter.builder("saker.connections.closed", stats, s -> s.connectionsClosed(reason)).tags(tags)
                    .tag("reason", tag(reason)).description("Connections closed, by reason").baseUnit("connections")
                    .register(registry);
        }
        for (String reason : PARSE_REASONS) {
            FunctionCounter.builder("saker.parse.errors", stats, s -> s.parseErrors(reason))
                    .tags(tags).tag("reason", reason).description("Malformed or refused requests, by reason")
                    .register(registry);
        }
        FunctionCounter.builder("saker.parse.errors", stats, ReasonMeters::otherParseErrors).tags(tags)
                .tag("reason", OTHER).description("Malformed or refused requests, by reason").register(registry);
    }

    static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static double otherParseErrors(ServerStats stats) {
        long other = 0;
        for (Map.Entry<String, Long> e : stats.parseErrors().entrySet()) {
            if (!PARSE_REASONS.contains(e.getKey())) {
                other += e.getValue();
            }
        }
        return other;
    }
}
