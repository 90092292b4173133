package dev.saker.boot.metrics;

import dev.saker.server.observe.WebSocketStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The WebSocket meters: sessions open now and opened, data messages and their payload bytes by
 * direction, and ended sessions by close code. Every code of {@link WebSocketStats#CODES} has its
 * series from the start (zero until it happens), and {@code other} counts any code outside them.
 */
final class WebSocketMeters {

    /** The {@code code} tag of the codes outside {@link WebSocketStats#CODES}. */
    static final String OTHER = "other";

    private WebSocketMeters() {
    }

    static void bind(WebSocketStats stats, Tags tags, MeterRegistry registry) {
        Gauge.builder("saker.websocket.sessions.active", stats, WebSocketStats::sessionsActive).tags(tags)
                .description("WebSocket sessions open now").baseUnit("sessions").register(registry);
        FunctionCounter.builder("saker.websocket.sessions.opened", stats, WebSocketStats::sessionsOpened).tags(tags)
                .description("WebSocket sessions opened (handshakes accepted)").baseUnit("sessions").register(registry);
        FunctionCounter.builder("saker.websocket.messages", stats, WebSocketStats::messagesReceived).tags(tags)
                .tag("direction", "in").description("WebSocket data messages by direction").baseUnit("messages")
                .register(registry);
        FunctionCounter.builder("saker.websocket.messages", stats, WebSocketStats::messagesSent).tags(tags)
                .tag("direction", "out").description("WebSocket data messages by direction").baseUnit("messages")
                .register(registry);
        FunctionCounter.builder("saker.websocket.bytes", stats, WebSocketStats::bytesReceived).tags(tags)
                .tag("direction", "in").description("WebSocket message payload bytes by direction (uncompressed)")
                .baseUnit("bytes").register(registry);
        FunctionCounter.builder("saker.websocket.bytes", stats, WebSocketStats::bytesSent).tags(tags)
                .tag("direction", "out").description("WebSocket message payload bytes by direction (uncompressed)")
                .baseUnit("bytes").register(registry);
        for (int code : WebSocketStats.CODES) {
            closes(stats, code, String.valueOf(code), tags, registry);
        }
        closes(stats, WebSocketStats.OTHER_CODE, OTHER, tags, registry);
    }

    private static void closes(WebSocketStats stats, int code, String tag, Tags tags, MeterRegistry registry) {
        FunctionCounter.builder("saker.websocket.closes", stats, s -> s.closes(code)).tags(tags).tag("code", tag)
                .description("WebSocket sessions ended, by close code (1006: the connection dropped without a close frame)")
                .register(registry);
    }
}
