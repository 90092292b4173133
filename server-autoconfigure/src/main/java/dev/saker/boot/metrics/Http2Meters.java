package dev.saker.boot.metrics;

import dev.saker.server.observe.Http2Stats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * The HTTP/2 meters of a server with HTTP/2 on: streams open now, RST_STREAM frames by direction
 * and error code, GOAWAY frames sent by error code. Codes are tagged by their RFC 9113 names in
 * lower case; every code has its series from the start, as the other Saker meters do.
 */
final class Http2Meters {

    /** RFC 9113 section 7 error names, indexed by code; {@link Http2Stats#OTHER_CODE} is {@code unknown}. */
    static final List<String> CODES = List.of("no_error", "protocol_error", "internal_error", "flow_control_error",
            "settings_timeout", "stream_closed", "frame_size_error", "refused_stream", "cancel", "compression_error",
            "connect_error", "enhance_your_calm", "inadequate_security", "http_1_1_required", "unknown");

    private Http2Meters() {
    }

    static void bind(Http2Stats stats, Tags tags, MeterRegistry registry) {
        Gauge.builder("saker.http2.streams.active", stats, Http2Stats::streamsActive).tags(tags)
                .description("HTTP/2 streams open now").baseUnit("streams").register(registry);
        for (int code = 0; code < CODES.size(); code++) {
            long errorCode = code;
            String name = CODES.get(code);
            FunctionCounter.builder("saker.http2.resets", stats, s -> s.resetsSent(errorCode)).tags(tags)
                    .tags("direction", "sent", "code", name)
                    .description("HTTP/2 RST_STREAM frames by direction and error code").register(registry);
            FunctionCounter.builder("saker.http2.resets", stats, s -> s.resetsReceived(errorCode)).tags(tags)
                    .tags("direction", "received", "code", name)
                    .description("HTTP/2 RST_STREAM frames by direction and error code").register(registry);
            FunctionCounter.builder("saker.http2.goaways", stats, s -> s.goAwaysSent(errorCode)).tags(tags).tag("code", name)
                    .description("HTTP/2 GOAWAY frames sent, by error code").register(registry);
        }
    }
}
