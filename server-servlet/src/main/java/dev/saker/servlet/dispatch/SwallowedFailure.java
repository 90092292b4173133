package dev.saker.servlet.dispatch;

import dev.saker.servlet.response.SakerResponse;
import jakarta.servlet.ServletRequest;

/**
 * Finds a failure the application caught after the response was committed, then returned from
 * normally. Spring MVC does that: an exception raised once the body has started (a JSON serializer
 * failing after the first 8 KiB went out) makes its {@code DispatcherServlet} try to reset the
 * buffer (which a committed response refuses), then "resolve" the exception by logging "response
 * committed already" and record it in the request attribute below. Ending such a response
 * normally would make the truncated body look complete, so the container aborts it instead.
 *
 * <p>Both signs are required: the attribute alone is also set when an exception handler wrote a
 * whole, deliberate response to a failure met before anything was committed.
 */
public final class SwallowedFailure {

    /** The attribute Spring's {@code DispatcherServlet} sets when an exception resolved to no view. */
    static final String SPRING_RESOLVED_EXCEPTION = "org.springframework.web.servlet.DispatcherServlet.EXCEPTION";

    private SwallowedFailure() {
    }

    /**
     * @return the failure recorded on {@code request} when {@code response} was committed before
     *         the application met it (it tried to reset the committed response), else {@code null}
     */
    public static Throwable afterCommit(ServletRequest request, SakerResponse response) {
        if (!response.isCommitted() || !response.resetAfterCommit()) {
            return null;
        }
        Object recorded = request.getAttribute(SPRING_RESOLVED_EXCEPTION);
        return recorded instanceof Throwable ? (Throwable) recorded : null;
    }
}
