package dev.saker.boot.metrics;

import dev.saker.server.accesslog.AccessLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The meters of a server's access log: lines written, lines dropped because the queue between the
 * event loops and the writer thread was full (the writer or its output could not keep up), and
 * writes an output failed (a full disk, a file that cannot be opened).
 */
final class AccessLogMeters {

    private AccessLogMeters() {
    }

    static void bind(AccessLog log, Tags tags, MeterRegistry registry) {
        FunctionCounter.builder("saker.accesslog.dropped", log, AccessLog::dropped).tags(tags)
                .description("Access log lines dropped because the queue was full").baseUnit("lines").register(registry);
        FunctionCounter.builder("saker.accesslog.written", log, AccessLog::written).tags(tags)
                .description("Access log lines written to the outputs").baseUnit("lines").register(registry);
        FunctionCounter.builder("saker.accesslog.failures", log, AccessLog::failures).tags(tags)
                .description("Access log writes an output failed").baseUnit("writes").register(registry);
    }
}
