package dev.saker.servlet.forwarded;

import dev.saker.server.forwarded.ForwardedOrigin;
import dev.saker.server.forwarded.TrustedProxies;
import dev.saker.servlet.request.RequestOrigin;
import dev.saker.servlet.request.SakerRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * The container's own handling of {@code Forwarded} (RFC 7239) and {@code X-Forwarded-*} fields
 * (Spring Boot's {@code server.forward-headers-strategy=native}): only when the connection comes
 * from a trusted proxy does the request report the client address, scheme, host and port the proxy
 * saw. Like Tomcat's remote IP valve, the client is the right-most {@code X-Forwarded-For} address
 * that is not itself a trusted proxy. The container's request itself takes the client's view (as
 * the valve changes Tomcat's request), so wrappers, dispatches, redirects and the session cookie's
 * {@code Secure} flag all agree with it.
 */
public final class ForwardedHeadersFilter implements Filter {

    /**
     * Tomcat's default internal proxies: IPv4 loopback, link-local, private and carrier-grade NAT
     * ranges; IPv6 loopback ({@code ::1}), link-local ({@code fe80::/10}) and unique local
     * ({@code fc00::/7}).
     */
    public static final String DEFAULT_TRUSTED_PROXIES = TrustedProxies.DEFAULT_PATTERN;

    private final TrustedProxies trustedProxies;

    /** @param trustedProxies regular expression matched against the connecting address */
    public ForwardedHeadersFilter(String trustedProxies) {
        this.trustedProxies = TrustedProxies.matching(trustedProxies);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        // Later dispatches of the request already carry the client's view.
        if (http.getDispatcherType() != DispatcherType.REQUEST
                || !trustedProxies.contains(http.getRemoteAddr()) || !ForwardedOrigin.present(http::getHeader)) {
            chain.doFilter(request, response);
            return;
        }
        RequestOrigin origin = ForwardedRequest.origin(http, trustedProxies);
        SakerRequest base = containerRequest(request);
        if (base != null) {
            base.setOrigin(origin);
            chain.doFilter(request, response);
        } else {
            chain.doFilter(new ForwardedRequest(http, origin), response);
        }
    }

    private static SakerRequest containerRequest(ServletRequest request) {
        ServletRequest current = request;
        while (current instanceof ServletRequestWrapper) {
            current = ((ServletRequestWrapper) current).getRequest();
        }
        return current instanceof SakerRequest ? (SakerRequest) current : null;
    }
}
