package dev.saker.servlet.dispatch;

import dev.saker.servlet.response.SakerResponse;
import jakarta.servlet.ServletRequest;

/**
 * Finds a failure the application caught and logged after the response was committed, then
 * returned normally. Spring MVC does that: an exception raised once the body has started (a JSON
 * serializer failing after the first 8 KiB went out) is "resolved" by logging "response committed
 * already", and the request attribute below records it. Ending such a response normally would make
 * the truncated body look complete, so the container aborts it instead.
 */
public final class SwallowedFailure {

    /** The attribute Spring's {@code DispatcherServlet} sets when an exception resolved to no view. */
    static final String SPRING_RESOLVED_EXCEPTION = "org.springframework.web.servlet.DispatcherServlet.EXCEPTION";

    private SwallowedFailure() {
    }

    /**
     * @return the failure recorded on {@code request} when {@code response} was committed with a
     *         non-error status (an exception handler that deliberately wrote a large error body sets
     *         an error status first), else {@code null}
     */
    public static Throwable afterCommit(ServletRequest request, SakerResponse response) {
        if (!response.isCommitted() || response.getStatus() >= 400) {
            return null;
        }
        Object recorded = request.getAttribute(SPRING_RESOLVED_EXCEPTION);
        return recorded instanceof Throwable ? (Throwable) recorded : null;
    }
}
