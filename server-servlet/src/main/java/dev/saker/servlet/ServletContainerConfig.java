package dev.saker.servlet;

import dev.saker.servlet.request.FormLimits;
import java.time.Duration;

/**
 * Settings of the Servlet container (the engine's own settings live in the server's config).
 *
 * @param allowEncodedSlash accept {@code %2F} in paths (decoded to '/'); default false: 400
 * @param maxFormSize largest {@code application/x-www-form-urlencoded} body parsed into parameters,
 *                    and largest sum of multipart text fields (default 2 MiB, -1 unlimited)
 * @param asyncTimeout default {@code AsyncContext} timeout (default 30 s)
 * @param sessionSweepInterval how often idle sessions are expired (default 30 s)
 * @param maxParameterCount most request parameters: query, form and multipart text fields together
 *                          (default 1000 as Tomcat's {@code maxParameterCount}, -1 unlimited; past it 413)
 * @param maxPartCount most parts of a multipart body (default 50 as Tomcat's {@code maxPartCount},
 *                     -1 unlimited; past it 413)
 * @param maxPartHeaderSize most header bytes of one part (default 512 as Tomcat's
 *                          {@code maxPartHeaderSize}, -1 unlimited; past it 413)
 * @param maxActiveSessions most sessions alive at once (default -1, no limit, as Tomcat's
 *                          {@code maxActiveSessions}; past it, creating a session throws
 *                          {@link IllegalStateException})

 * @param upgradeIdleTimeout how long a connection switched with {@code HttpServletRequest.upgrade}
 *                           may carry no byte either way before it is closed (default 60 s; zero:
 *                           no limit)

 */
public record ServletContainerConfig(boolean allowEncodedSlash, long maxFormSize, Duration asyncTimeout,
                                     Duration sessionSweepInterval, int maxParameterCount, int maxPartCount,
                                     int maxPartHeaderSize, int maxActiveSessions, Duration upgradeIdleTimeout) {

    /** @return the defaults */
    public static ServletContainerConfig defaults() {
        return new ServletContainerConfig(false, 2L * 1024 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(30),
                1000, 50, 512, -1, Duration.ofSeconds(60));
    }

    public ServletContainerConfig withAllowEncodedSlash(boolean allow) {
        return new ServletContainerConfig(allow, maxFormSize, asyncTimeout, sessionSweepInterval, maxParameterCount,
                maxPartCount, maxPartHeaderSize, maxActiveSessions, upgradeIdleTimeout);
    }

    public ServletContainerConfig withMaxFormSize(long bytes) {
        return new ServletContainerConfig(allowEncodedSlash, bytes, asyncTimeout, sessionSweepInterval, maxParameterCount,
                maxPartCount, maxPartHeaderSize, maxActiveSessions, upgradeIdleTimeout);
    }

    public ServletContainerConfig withAsyncTimeout(Duration timeout) {
        return new ServletContainerConfig(allowEncodedSlash, maxFormSize, timeout, sessionSweepInterval, maxParameterCount,
                maxPartCount, maxPartHeaderSize, maxActiveSessions, upgradeIdleTimeout);
    }

    public ServletContainerConfig withSessionSweepInterval(Duration interval) {
        return new ServletContainerConfig(allowEncodedSlash, maxFormSize, asyncTimeout, interval, maxParameterCount,
                maxPartCount, maxPartHeaderSize, maxActiveSessions, upgradeIdleTimeout);
    }

    public ServletContainerConfig withMaxParameterCount(int count) {
        return new ServletContainerConfig(allowEncodedSlash, maxFormSize, asyncTimeout, sessionSweepInterval, count,
                maxPartCount, maxPartHeaderSize, maxActiveSessions, upgradeIdleTimeout);
    }

    public ServletContainerConfig withMaxPartCount(int count) {
        return new ServletContainerConfig(allowEncodedSlash, maxFormSize, asyncTimeout, sessionSweepInterval,
                maxParameterCount, count, maxPartHeaderSize, maxActiveSessions, upgradeIdleTimeout);
    }

    public ServletContainerConfig withMaxPartHeaderSize(int bytes) {
        return new ServletContainerConfig(allowEncodedSlash, maxFormSize, asyncTimeout, sessionSweepInterval,
                maxParameterCount, maxPartCount, bytes, maxActiveSessions, upgradeIdleTimeout);
    }

    public ServletContainerConfig withMaxActiveSessions(int sessions) {
        return new ServletContainerConfig(allowEncodedSlash, maxFormSize, asyncTimeout, sessionSweepInterval,
                maxParameterCount, maxPartCount, maxPartHeaderSize, sessions, upgradeIdleTimeout);
    }

    public ServletContainerConfig withUpgradeIdleTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("upgrade idle timeout must not be negative: " + timeout);
        }
        return new ServletContainerConfig(allowEncodedSlash, maxFormSize, asyncTimeout, sessionSweepInterval,
                maxParameterCount, maxPartCount, maxPartHeaderSize, maxActiveSessions, timeout);
    }

    /** @return the limits of form and multipart parsing */
    public FormLimits formLimits() {
        return new FormLimits(maxFormSize, maxParameterCount, maxPartCount, maxPartHeaderSize);
    }
}
