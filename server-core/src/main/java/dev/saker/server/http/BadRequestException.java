package dev.saker.server.http;

import java.io.IOException;

/**
 * The request (its head or body framing) is malformed or breaks a limit; carries the status to
 * answer. Thrown by body reads when the chunked framing is broken or the body is too large, so a
 * handler that lets it escape gets the right 4xx instead of a 500.
 */
public class BadRequestException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    /**
     * @param status the status to answer (400, 413, 414, 431, 501, 505 ...)
     * @param reason a short machine-friendly reason, used as the stats key (for example {@code chunk_size})
     * @param message a human-readable description
     */
    public BadRequestException(int status, String reason, String message) {
        super(message, null);
        this.status = status;
        this.reason = reason;
    }

    /** @return the HTTP status that answers this error */
    public int status() {
        return status;
    }

    /** @return the short reason key counted in the server stats */
    public String reason() {
        return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Hostile input is routine: a stack trace per bad request would be pure cost.
        return this;
    }
}
