package dev.saker.server.accesslog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lines to the SLF4J logger {@value #LOGGER} at INFO, for Logback or Log4j to route. */
public final class Slf4jOutput implements AccessLogOutput {

    /** The logger's name. */
    public static final String LOGGER = "dev.saker.accesslog";

    private final Logger log = LoggerFactory.getLogger(LOGGER);

    @Override
    public void write(String line) {
        log.info(line);
    }

    @Override
    public void endBatch() {
        // The logging backend buffers and flushes by its own configuration.
    }

    @Override
    public void close() {
        // Nothing of ours to release: the logger belongs to the logging backend.
    }
}
