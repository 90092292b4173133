package dev.saker.servlet.accesslog;

import dev.saker.servlet.request.SakerRequest;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * Names the request's user on the engine exchange, for the access log ({@code %u}): the user that
 * {@code getRemoteUser()} of the request this filter is given reports. The container itself has no
 * container-managed security; an application authenticates in a filter that wraps the request
 * (Spring Security's {@code SecurityContextHolderAwareRequestWrapper}), so only a filter placed after
 * that one sees the user. Mapped last, it sees the request as the servlet will.
 *
 * <p>A dispatch that knows no user (an async or error dispatch the authenticating filter does not
 * see again) leaves the user an earlier dispatch named.
 */
public final class RemoteUserFilter implements Filter {

    /** The name this filter is registered under. */
    public static final String NAME = "sakerRemoteUserFilter";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http) {
            String user = http.getRemoteUser();
            if (user != null) {
                SakerRequest base = containerRequest(request);
                // Live here: a filter runs inside a dispatch of the request, before its end.
                if (base != null && !base.lifetime().ended()) {
                    base.exchange().remoteUser(user);
                }
            }
        }
        chain.doFilter(request, response);
    }

    private static SakerRequest containerRequest(ServletRequest request) {
        ServletRequest current = request;
        while (current instanceof ServletRequestWrapper wrapper) {
            current = wrapper.getRequest();
        }
        return current instanceof SakerRequest saker ? saker : null;
    }
}
