package dev.saker.server.accesslog;

import java.util.List;

/**
 * Receives one {@link AccessRecord} per finished request. Called on the event loop that served the
 * request, so it must return at once: hand the record to another thread (as {@link AccessLog} does),
 * never write or block here.
 */
public interface AccessLogSink {

    /** @return request header names whose values each record captures (compared case-insensitively) */
    List<String> requestHeaderNames();

    /** @return response header names whose values each record captures */
    List<String> responseHeaderNames();

    /** Takes the record of a finished request; must not block. */
    void log(AccessRecord record);
}
