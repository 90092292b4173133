package dev.saker.servlet.response;

import dev.saker.servlet.request.AsyncCycle;
import dev.saker.servlet.request.RequestHost;
import dev.saker.servlet.request.RequestLifetime;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.Executor;

/**
 * What a response needs from the request it answers, beyond the Servlet view of it (scheme,
 * URI and protocol, session for URL rewriting): the shared lifetime, the container, and the async
 * state its non-blocking writes follow. The request implements it, so the response does not name
 * the request class.
 */
public interface ResponseOwner extends HttpServletRequest {

    /** @return whether the request is live, shared with its response */
    RequestLifetime lifetime();

    /** @return what the request and its response need from the container */
    RequestHost host();

    /** @return the serial executor that runs the request's non-blocking I/O listeners */
    Executor callbacks();

    /** @return the request's async cycle, or {@code null} when async never started */
    AsyncCycle asyncContextOrNull();
}
