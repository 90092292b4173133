package dev.saker.boot.autoconfigure;

import dev.saker.boot.accesslog.AccessLogSettings;
import dev.saker.server.accesslog.AccessLog;
import dev.saker.server.tls.TlsProvider;
import dev.saker.server.transport.TransportKind;
import dev.saker.servlet.forwarded.ForwardedHeadersFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code saker.server.*}: the Saker engine and Servlet container settings. The standard
 * {@code server.*} properties (port, address, context path, compression, shutdown ...) apply too.
 */
@ConfigurationProperties("saker.server")
public class SakerServerProperties {

    /** Network transport: auto (epoll on Linux, kqueue on macOS, else nio), epoll, kqueue, io_uring or nio. */
    private TransportKind transport = TransportKind.AUTO;

    /** Number of event loops (I/O threads); defaults to the number of available processors. */
    private Integer ioThreads;

    /** Open connections at most (-1: no limit); at the limit accepting pauses and further ones wait in the listen backlog (never reset). */
    private int maxConnections = 10_000;

    /** Header fields accepted in one request; more are answered 431. */
    private int maxHeaderCount = 100;

    /** Largest request body; larger ones are answered 413. Unlimited when not set. */
    private DataSize maxRequestBodySize;

    /** Unread request body the server reads and discards to keep a connection open; past it, it closes. */
    private DataSize drainLimit = DataSize.ofMegabytes(2);

    /** Deadline for a whole request head from its first byte, however steady the trickle (then 408). */
    private Duration headTimeout = Duration.ofSeconds(20);

    /** Idle time of a keep-alive connection between requests before it is closed. */
    private Duration keepAliveTimeout = Duration.ofSeconds(60);

    /** Longest wait for more request body bytes while the application reads it. */
    private Duration bodyReadTimeout = Duration.ofSeconds(60);

    /** Longest time a client may stop reading a response before the connection is dropped. */
    private Duration writeTimeout = Duration.ofSeconds(60);

    /**
     * During a graceful shutdown, how long a kept-alive connection must have been idle (counted from
     * the drain's start at the earliest) before it is closed, so that a request a load balancer is
     * just sending on it is still served (0: at once).
     */
    private Duration drainIdleGrace = Duration.ofSeconds(1);

    /** Requests served on one connection before it is closed; -1 for no limit. */
    private int maxKeepAliveRequests = -1;

    /** Listen backlog of each listening socket. */
    private int backlog = 1024;

    /** Accept a bare LF as a line end (strict CRLF by default: 400). */
    private boolean allowBareLf;

    /** Most parts of a multipart/form-data body (Tomcat's maxPartCount); more are answered 413; -1 for no limit. */
    private int maxPartCount = 50;

    /** Most header bytes of one multipart part (Tomcat's maxPartHeaderSize); more are answered 413; -1 for no limit. */
    private DataSize maxPartHeaderSize = DataSize.ofBytes(512);

    /**
     * Most request parameters: query, urlencoded form and multipart text fields together (Tomcat's
     * maxParameterCount); more are answered 413; -1 for no limit.
     */
    private int maxParameterCount = 1000;

    private final Threads threads = new Threads();

    private final Servlet servlet = new Servlet();

    private final Forwarded forwarded = new Forwarded();

    private final Ssl ssl = new Ssl();

    private final Http2 http2 = new Http2();

    private final Limits limits = new Limits();
    private final Accesslog accesslog = new Accesslog();

    public Accesslog getAccesslog() {
        return accesslog;
    }

    /** The access log: one line per finished request, to the logger dev.saker.accesslog and optionally to daily files. */
    public static class Accesslog {

        /** Whether requests are logged. */
        private boolean enabled;

        /** common, combined, or a pattern of Tomcat's letters (see docs/access-log.md). */
        private String pattern = "common";

        /** Line format: text (the pattern) or json (one JSON object per line). */
        private AccessLog.Format format = AccessLog.Format.TEXT;

        /** Directory of the daily files <prefix><yyyy-MM-dd>.log; only the logger dev.saker.accesslog when not set. */
        private String directory;

        /** Start of the file names (the management server's log gets management_ before it). */
        private String prefix = "access_log.";

        /** Days of files kept, today's included; older ones are deleted when a new day begins; 0 keeps all. */
        private int maxHistory = 30;

        /** Lines queued for the writer thread; when full, further lines are dropped and counted (never waited for). */
        private int queueSize = 8192;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPattern() {
            return pattern;
        }

        public void setPattern(String pattern) {
            this.pattern = pattern;
        }

        public AccessLog.Format getFormat() {
            return format;
        }

        public void setFormat(AccessLog.Format format) {
            this.format = format;
        }

        public String getDirectory() {
            return directory;
        }

        public void setDirectory(String directory) {
            this.directory = directory;
        }

        public String getPrefix() {
            return prefix;
        }

        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        public int getMaxHistory() {
            return maxHistory;
        }

        public void setMaxHistory(int maxHistory) {
            this.maxHistory = maxHistory;
        }

        public int getQueueSize() {
            return queueSize;
        }

        public void setQueueSize(int queueSize) {
            this.queueSize = queueSize;
        }

        /** @return the factory's settings of these properties */
        AccessLogSettings settings() {
            return new AccessLogSettings(pattern, format, directory == null ? null : Path.of(directory), prefix,
                    maxHistory, queueSize);
        }
    }

    /** Worker threads that run servlets (platform threads; virtual threads when spring.threads.virtual.enabled). */
    public static class Threads {

        /** Most worker threads. */
        private int max = 200;

        /** Requests that may wait for a busy worker pool; more are answered 503. */
        private int queueCapacity = 10_000;

        public int getMax() {
            return max;
        }

        public void setMax(int max) {
            this.max = max;
        }

        public int getQueueCapacity() {
            return queueCapacity;
        }

        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }
    }

    /** Servlet container settings. */
    public static class Servlet {

        /** Largest application/x-www-form-urlencoded body parsed into request parameters; -1 for no limit. */
        private DataSize maxFormSize = DataSize.ofMegabytes(2);

        /** Default timeout of async requests (AsyncContext), when the application sets none. */
        private Duration asyncTimeout = Duration.ofSeconds(30);

        /** Accept %2F (an encoded slash) in request paths; refused with 400 by default. */
        private boolean allowEncodedSlash;

        /**
         * How long a connection switched by HttpServletRequest.upgrade may carry no byte either way
         * before it is closed; 0 for no limit.
         */
        private Duration upgradeIdleTimeout = Duration.ofSeconds(60);

        public Duration getUpgradeIdleTimeout() {
            return upgradeIdleTimeout;
        }

        public void setUpgradeIdleTimeout(Duration upgradeIdleTimeout) {
            this.upgradeIdleTimeout = upgradeIdleTimeout;
        }

        private final Session session = new Session();

        public Session getSession() {
            return session;
        }

        public DataSize getMaxFormSize() {
            return maxFormSize;
        }

        public void setMaxFormSize(DataSize maxFormSize) {
            this.maxFormSize = maxFormSize;
        }

        public Duration getAsyncTimeout() {
            return asyncTimeout;
        }

        public void setAsyncTimeout(Duration asyncTimeout) {
            this.asyncTimeout = asyncTimeout;
        }

        public boolean isAllowEncodedSlash() {
            return allowEncodedSlash;
        }

        public void setAllowEncodedSlash(boolean allowEncodedSlash) {
            this.allowEncodedSlash = allowEncodedSlash;
        }

        /** Servlet sessions (the standard ones, timeout and cookie, stay under server.servlet.session). */
        public static class Session {

            /**
             * Most sessions alive at once (Tomcat's maxActiveSessions); past it, creating a session throws
             * IllegalStateException and counts in saker.sessions.rejected. -1 for no limit.
             */
            private int maxActiveSessions = -1;

            public int getMaxActiveSessions() {
                return maxActiveSessions;
            }

            public void setMaxActiveSessions(int maxActiveSessions) {
                this.maxActiveSessions = maxActiveSessions;
            }
        }
    }

    /** Forwarded-header handling with server.forward-headers-strategy=native. */
    public static class Forwarded {

        /** Regular expression of the proxy addresses whose Forwarded / X-Forwarded-* fields are trusted. */
        private String trustedProxies = ForwardedHeadersFilter.DEFAULT_TRUSTED_PROXIES;

        public String getTrustedProxies() {
            return trustedProxies;
        }

        public void setTrustedProxies(String trustedProxies) {
            this.trustedProxies = trustedProxies;
        }
    }

    /** TLS settings of Saker, when server.ssl is enabled (certificates and client auth come from server.ssl.*). */
    public static class Ssl {

        /** TLS implementation: auto (OpenSSL when netty-tcnative loads, else the JDK's), openssl or jdk. */
        private TlsProvider provider = TlsProvider.AUTO;

        /** Longest time from accepting a connection to a finished TLS handshake; then the connection is closed. */
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        /** Largest TLS ClientHello accepted; a larger one closes the connection before any handshake work. */
        private DataSize maxClientHelloSize = DataSize.ofKilobytes(16);

        public TlsProvider getProvider() {
            return provider;
        }

        public void setProvider(TlsProvider provider) {
            this.provider = provider;
        }

        public Duration getHandshakeTimeout() {
            return handshakeTimeout;
        }

        public void setHandshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
        }

        public DataSize getMaxClientHelloSize() {
            return maxClientHelloSize;
        }

        public void setMaxClientHelloSize(DataSize maxClientHelloSize) {
            this.maxClientHelloSize = maxClientHelloSize;
        }
    }

    /** HTTP/2 settings and flood limits, when server.http2.enabled is true. */
    public static class Http2 {

        /** Streams one HTTP/2 client may have open at once on a connection (SETTINGS_MAX_CONCURRENT_STREAMS). */
        private int maxConcurrentStreams = 100;

        /** Handlers one HTTP/2 connection may have running at once; the streams past it wait in order for one to return. */
        private int maxHandlersPerConnection = 20;

        /** Request body bytes a client may send on a stream before the application reads them (SETTINGS_INITIAL_WINDOW_SIZE). */
        private DataSize initialWindowSize = DataSize.ofBytes(65_535);

        /** Largest frame payload a client may send (SETTINGS_MAX_FRAME_SIZE, 16KB to 16MB - 1); a larger frame is a connection error. */
        private DataSize maxFrameSize = DataSize.ofBytes(16_384);

        /** RST_STREAM frames a client may send per reset window; one more (Rapid Reset) closes the connection with GOAWAY(ENHANCE_YOUR_CALM). */
        private int maxResetsReceivedPerWindow = 200;

        /** RST_STREAM frames the server may send per reset window on one connection; a client provoking more (MadeYouReset) is disconnected. */
        private int maxResetsSentPerWindow = 200;

        /** Window over which HTTP/2 resets sent and received are counted (whole seconds). */
        private Duration resetWindow = Duration.ofSeconds(30);

        /** Consecutive empty DATA frames without END_STREAM allowed on a stream; more is a flood and closes the connection. */
        private int maxConsecutiveEmptyDataFrames = 2;

        /** Small CONTINUATION frames allowed in one header block; more is a flood and closes the connection. */
        private int maxSmallContinuationFrames = 16;

        /** Control frames (PING and SETTINGS acknowledgements, resets) held unsent for a client that does not read; more closes the connection. */
        private int maxQueuedControlFrames = 10000;

        /** Largest body of a cleartext request asking for h2c by Upgrade (0 to 16MB); a request with a larger body is served over HTTP/1.1. */
        private DataSize maxUpgradeBodySize = DataSize.ofKilobytes(64);

        public int getMaxConcurrentStreams() {
            return maxConcurrentStreams;
        }

        public void setMaxConcurrentStreams(int maxConcurrentStreams) {
            this.maxConcurrentStreams = maxConcurrentStreams;
        }

        public int getMaxHandlersPerConnection() {
            return maxHandlersPerConnection;
        }

        public void setMaxHandlersPerConnection(int maxHandlersPerConnection) {
            this.maxHandlersPerConnection = maxHandlersPerConnection;
        }

        public DataSize getInitialWindowSize() {
            return initialWindowSize;
        }

        public void setInitialWindowSize(DataSize initialWindowSize) {
            this.initialWindowSize = initialWindowSize;
        }

        public DataSize getMaxFrameSize() {
            return maxFrameSize;
        }

        public void setMaxFrameSize(DataSize maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
        }

        public int getMaxResetsReceivedPerWindow() {
            return maxResetsReceivedPerWindow;
        }

        public void setMaxResetsReceivedPerWindow(int maxResetsReceivedPerWindow) {
            this.maxResetsReceivedPerWindow = maxResetsReceivedPerWindow;
        }

        public int getMaxResetsSentPerWindow() {
            return maxResetsSentPerWindow;
        }

        public void setMaxResetsSentPerWindow(int maxResetsSentPerWindow) {
            this.maxResetsSentPerWindow = maxResetsSentPerWindow;
        }

        public Duration getResetWindow() {
            return resetWindow;
        }

        public void setResetWindow(Duration resetWindow) {
            this.resetWindow = resetWindow;
        }

        public int getMaxConsecutiveEmptyDataFrames() {
            return maxConsecutiveEmptyDataFrames;
        }

        public void setMaxConsecutiveEmptyDataFrames(int maxConsecutiveEmptyDataFrames) {
            this.maxConsecutiveEmptyDataFrames = maxConsecutiveEmptyDataFrames;
        }

        public int getMaxSmallContinuationFrames() {
            return maxSmallContinuationFrames;
        }

        public void setMaxSmallContinuationFrames(int maxSmallContinuationFrames) {
            this.maxSmallContinuationFrames = maxSmallContinuationFrames;
        }

        public DataSize getMaxUpgradeBodySize() {
            return maxUpgradeBodySize;
        }

        public void setMaxUpgradeBodySize(DataSize maxUpgradeBodySize) {
            this.maxUpgradeBodySize = maxUpgradeBodySize;
        }

        public int getMaxQueuedControlFrames() {
            return maxQueuedControlFrames;
        }

        public void setMaxQueuedControlFrames(int maxQueuedControlFrames) {
            this.maxQueuedControlFrames = maxQueuedControlFrames;
        }
    }

    public TransportKind getTransport() {
        return transport;
    }

    public void setTransport(TransportKind transport) {
        this.transport = transport;
    }

    public Integer getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(Integer ioThreads) {
        this.ioThreads = ioThreads;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxHeaderCount() {
        return maxHeaderCount;
    }

    public void setMaxHeaderCount(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    public DataSize getMaxRequestBodySize() {
        return maxRequestBodySize;
    }

    public void setMaxRequestBodySize(DataSize maxRequestBodySize) {
        this.maxRequestBodySize = maxRequestBodySize;
    }

    public DataSize getDrainLimit() {
        return drainLimit;
    }

    public void setDrainLimit(DataSize drainLimit) {
        this.drainLimit = drainLimit;
    }

    public Duration getHeadTimeout() {
        return headTimeout;
    }

    public void setHeadTimeout(Duration headTimeout) {
        this.headTimeout = headTimeout;
    }

    public Duration getKeepAliveTimeout() {
        return keepAliveTimeout;
    }

    public void setKeepAliveTimeout(Duration keepAliveTimeout) {
        this.keepAliveTimeout = keepAliveTimeout;
    }

    public Duration getBodyReadTimeout() {
        return bodyReadTimeout;
    }

    public void setBodyReadTimeout(Duration bodyReadTimeout) {
        this.bodyReadTimeout = bodyReadTimeout;
    }

    public Duration getDrainIdleGrace() {
        return drainIdleGrace;
    }

    public void setDrainIdleGrace(Duration drainIdleGrace) {
        this.drainIdleGrace = drainIdleGrace;
    }

    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    public int getMaxKeepAliveRequests() {
        return maxKeepAliveRequests;
    }

    public void setMaxKeepAliveRequests(int maxKeepAliveRequests) {
        this.maxKeepAliveRequests = maxKeepAliveRequests;
    }

    public int getBacklog() {
        return backlog;
    }

    public void setBacklog(int backlog) {
        this.backlog = backlog;
    }

    public boolean isAllowBareLf() {
        return allowBareLf;
    }

    public void setAllowBareLf(boolean allowBareLf) {
        this.allowBareLf = allowBareLf;
    }

    public Threads getThreads() {
        return threads;
    }

    public Servlet getServlet() {
        return servlet;
    }

    public Forwarded getForwarded() {
        return forwarded;
    }

    public Ssl getSsl() {
        return ssl;
    }

    public Limits getLimits() {
        return limits;
    }

    public Http2 getHttp2() {
        return http2;
    }

    /** @return most parts of a multipart/form-data body; more are answered 413; -1 for no limit */
    public int getMaxPartCount() {
        return maxPartCount;
    }

    public void setMaxPartCount(int maxPartCount) {
        this.maxPartCount = maxPartCount;
    }

    /** @return most header bytes of one multipart part; more are answered 413; -1 for no limit */
    public DataSize getMaxPartHeaderSize() {
        return maxPartHeaderSize;
    }

    public void setMaxPartHeaderSize(DataSize maxPartHeaderSize) {
        this.maxPartHeaderSize = maxPartHeaderSize;
    }

    /** @return most request parameters (query, form and multipart text fields); more are answered 413; -1 for no limit */
    public int getMaxParameterCount() {
        return maxParameterCount;
    }

    public void setMaxParameterCount(int maxParameterCount) {
        this.maxParameterCount = maxParameterCount;
    }

    /** Admission control (all off by default): per-client limits (429) and a server-wide concurrency limit (503). */
    public static class Limits {

        /** Requests running at once, server-wide; more are answered 503 with Retry-After; -1 for no limit. */
        private int maxConcurrentRequests = -1;

        /** Retry-After of a 503 at the concurrency limit (whole seconds). */
        private Duration retryAfter = Duration.ofSeconds(1);

        private final PerClient perClient = new PerClient();

        private final Adaptive adaptive = new Adaptive();

        public int getMaxConcurrentRequests() {
            return maxConcurrentRequests;
        }

        public void setMaxConcurrentRequests(int maxConcurrentRequests) {
            this.maxConcurrentRequests = maxConcurrentRequests;
        }

        public Duration getRetryAfter() {
            return retryAfter;
        }

        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }

        public PerClient getPerClient() {
            return perClient;
        }

        public Adaptive getAdaptive() {
            return adaptive;
        }

        /** Limits per client, the connection's remote IP address (an IPv6 one cut to ipv6-prefix-length). */
        public static class PerClient {

            /** Connections one client may have open at once; one more is closed at accept; -1 for no limit. */
            private int maxConnections = -1;

            /** Sustained requests per second of one client (token bucket); past its bucket, 429 with Retry-After; 0 for no limit. */
            private double requestsPerSecond;

            /** Requests one client may send at once on a full bucket; -1: the rate rounded up, at least 1. */
            private int burst = -1;

            /** Most clients tracked at once; past it, idle clients are evicted. */
            private int maxClients = 100_000;

            /**
             * Leading bits of an IPv6 address that make one client (1 to 128; 128: each address its own). IPv4
             * clients, IPv4-mapped ones included, are per address.
             */
            private int ipv6PrefixLength = 64;

            /**
             * IP addresses and CIDR blocks of reverse proxies whose client header names a request's client
             * (none by default: the client is the connection's remote address); their connections have no per-client connection limit.
             */
            private List<String> trustedProxies = new ArrayList<>();

            /** Header a trusted proxy names the client in: X-Forwarded-For (right-most untrusted entry) or Forwarded (its for= parameters). */
            private String clientHeader = "X-Forwarded-For";

            public List<String> getTrustedProxies() {
                return trustedProxies;
            }

            public void setTrustedProxies(List<String> trustedProxies) {
                this.trustedProxies = trustedProxies;
            }

            public String getClientHeader() {
                return clientHeader;
            }

            public void setClientHeader(String clientHeader) {
                this.clientHeader = clientHeader;
            }

            public int getMaxConnections() {
                return maxConnections;
            }

            public void setMaxConnections(int maxConnections) {
                this.maxConnections = maxConnections;
            }

            public double getRequestsPerSecond() {
                return requestsPerSecond;
            }

            public void setRequestsPerSecond(double requestsPerSecond) {
                this.requestsPerSecond = requestsPerSecond;
            }

            public int getBurst() {
                return burst;
            }

            public void setBurst(int burst) {
                this.burst = burst;
            }

            public int getMaxClients() {
                return maxClients;
            }

            public void setMaxClients(int maxClients) {
                this.maxClients = maxClients;
            }

            public int getIpv6PrefixLength() {
                return ipv6PrefixLength;
            }

            public void setIpv6PrefixLength(int ipv6PrefixLength) {
                this.ipv6PrefixLength = ipv6PrefixLength;
            }
        }

        /** AIMD on latency: the concurrency limit adapts between min-limit and max-concurrent-requests. */
        public static class Adaptive {

            /** Adapt the concurrency limit to latency (needs max-concurrent-requests). */
            private boolean enabled;

            /** Lowest adaptive limit. */
            private int minLimit = 1;

            /** Adaptive limit at start; -1 for max-concurrent-requests. */
            private int initialLimit = -1;

            /** Latency above which a request lowers the limit. */
            private Duration latencyThreshold = Duration.ofSeconds(1);

            /** Factor applied to the limit after a slow request or a 503 from the application, in [0.5, 1). */
            private double backoffRatio = 0.9;

            public boolean isEnabled() {
                return enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            public int getMinLimit() {
                return minLimit;
            }

            public void setMinLimit(int minLimit) {
                this.minLimit = minLimit;
            }

            public int getInitialLimit() {
                return initialLimit;
            }

            public void setInitialLimit(int initialLimit) {
                this.initialLimit = initialLimit;
            }

            public Duration getLatencyThreshold() {
                return latencyThreshold;
            }

            public void setLatencyThreshold(Duration latencyThreshold) {
                this.latencyThreshold = latencyThreshold;
            }

            public double getBackoffRatio() {
                return backoffRatio;
            }

            public void setBackoffRatio(double backoffRatio) {
                this.backoffRatio = backoffRatio;
            }
        }
    }
}
