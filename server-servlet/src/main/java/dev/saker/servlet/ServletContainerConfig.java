package dev.saker.servlet;

import java.time.Duration;

/**
 * Settings of the Servlet container (the engine's own settings live in the server's config).
 *
 * @param allowEncodedSlash accept {@code %2F} in paths (decoded to '/'); default false: 400
 * @param maxFormSize largest {@code application/x-www-form-urlencoded} body parsed into parameters
 *                    (default 2 MiB, -1 unlimited)
 * @param asyncTimeout default {@code AsyncContext} timeout (default 30 s)
 * @param sessionSweepInterval how often idle sessions are expired (default 30 s)
 */
public record ServletContainerConfig(boolean allowEncodedSlash, long maxFormSize, Duration asyncTimeout,
                                     Duration sessionSweepInterval) {

    /** @return the defaults */
    public static ServletContainerConfig defaults() {
        return new ServletContainerConfig(false, 2L * 1024 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    public ServletContainerConfig withAllowEncodedSlash(boolean allow) {
        return new ServletContainerConfig(allow, maxFormSize, asyncTimeout, sessionSweepInterval);
    }

    public ServletContainerConfig withMaxFormSize(long bytes) {
        return new ServletContainerConfig(allowEncodedSlash, bytes, asyncTimeout, sessionSweepInterval);
    }

    public ServletContainerConfig withAsyncTimeout(Duration timeout) {
        return new ServletContainerConfig(allowEncodedSlash, maxFormSize, timeout, sessionSweepInterval);
    }

    public ServletContainerConfig withSessionSweepInterval(Duration interval) {
        return new ServletContainerConfig(allowEncodedSlash, maxFormSize, asyncTimeout, interval);
    }
}
