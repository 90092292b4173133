package dev.saker.server.admission;

import dev.saker.server.observe.AdmissionRejection;
import java.nio.charset.StandardCharsets;

/** How a refused request is answered: the status, {@code Retry-After} in seconds and a short body. */
public final class Rejection {

    private static final byte[] TOO_MANY = "Too many requests\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNAVAILABLE = "Service unavailable: too many requests in progress\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final AdmissionRejection reason;
    private final int status;
    private final String retryAfter;

    private Rejection(AdmissionRejection reason, int status, long retryAfterSeconds) {
        this.reason = reason;
        this.status = status;
        this.retryAfter = Long.toString(retryAfterSeconds);
    }

    static Rejection rate(long waitNanos) {
        // Rounded up: a client that waits this long finds a token.
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        return new Rejection(AdmissionRejection.CLIENT_RATE, 429, seconds);
    }

    static Rejection unavailable(AdmissionRejection reason, long retryAfterSeconds) {
        return new Rejection(reason, 503, retryAfterSeconds);
    }

    public AdmissionRejection reason() {
        return reason;
    }

    /** @return 429 or 503 */
    public int status() {
        return status;
    }

    /** @return the {@code Retry-After} value, whole seconds */
    public String retryAfter() {
        return retryAfter;
    }

    /** @return the plain-text body (a shared array: do not modify) */
    public byte[] body() {
        return status == 429 ? TOO_MANY : UNAVAILABLE;
    }

    @Override
    public String toString() {
        return status + " " + reason.tag() + " retry-after=" + retryAfter;
    }
}
