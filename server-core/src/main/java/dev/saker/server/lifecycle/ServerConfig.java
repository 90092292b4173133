package dev.saker.server.lifecycle;

import dev.saker.server.admission.AdmissionConfig;
import dev.saker.server.accesslog.AccessLogSink;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.tls.TlsConfig;
import dev.saker.server.transport.TransportKind;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link SakerServer}. Build one with {@link #builder()}; every setting has
 * a default, listed on its builder method and in {@code docs/configuration.md}.
 */
public final class ServerConfig {

    /** The {@link Builder#port(int) port} that means "bind no listener". */
    public static final int NO_LISTENER = -1;

    private final String host;
    private final int port;
    private final TransportKind transport;
    private final int ioThreads;
    private final DispatchMode dispatchMode;
    private final int workerThreads;
    private final int workerQueueCapacity;
    private final int maxHeadSize;
    private final int maxHeaderCount;
    private final long maxRequestBodySize;
    private final long drainLimit;
    private final Duration headTimeout;
    private final Duration keepAliveTimeout;
    private final Duration bodyReadTimeout;
    private final Duration writeTimeout;
    private final Duration drainIdleGrace;
    private final int maxConnections;
    private final int maxKeepAliveRequests;
    private final int backlog;
    private final boolean allowBareLf;
    private final String serverHeader;
    private final int responseBufferSize;
    private final int maxChunkExtensionBytes;
    private final TlsConfig tls;
    private final AdmissionConfig admission;
    private final boolean http2;
    private final int http2MaxConcurrentStreams;
    private final int http2MaxHandlersPerConnection;
    private final int http2InitialWindowSize;
    private final int http2MaxUpgradeBodySize;
    private final int http2MaxFrameSize;
    private final int http2MaxResetsReceivedPerWindow;
    private final int http2MaxResetsSentPerWindow;
    private final Duration http2ResetWindow;
    private final int http2MaxConsecutiveEmptyDataFrames;
    private final int http2MaxSmallContinuationFrames;
    private final int http2MaxQueuedControlFrames;
    private final AccessLogSink accessLog;

    private ServerConfig(Builder b) {
        host = b.host;
        port = b.port;
        transport = b.transport;
        ioThreads = b.ioThreads;
        dispatchMode = b.dispatchMode;
        workerThreads = b.workerThreads;
        workerQueueCapacity = b.workerQueueCapacity;
        maxHeadSize = b.maxHeadSize;
        maxHeaderCount = b.maxHeaderCount;
        maxRequestBodySize = b.maxRequestBodySize;
        drainLimit = b.drainLimit;
        headTimeout = b.headTimeout;
        keepAliveTimeout = b.keepAliveTimeout;
        bodyReadTimeout = b.bodyReadTimeout;
        writeTimeout = b.writeTimeout;
        drainIdleGrace = b.drainIdleGrace;
        maxConnections = b.maxConnections;
        maxKeepAliveRequests = b.maxKeepAliveRequests;
        backlog = b.backlog;
        http2 = b.http2;
        http2MaxConcurrentStreams = b.http2MaxConcurrentStreams;
        http2MaxHandlersPerConnection = b.http2MaxHandlersPerConnection;
        http2InitialWindowSize = b.http2InitialWindowSize;
        http2MaxUpgradeBodySize = b.http2MaxUpgradeBodySize;
        http2MaxFrameSize = b.http2MaxFrameSize;
        http2MaxResetsReceivedPerWindow = b.http2MaxResetsReceivedPerWindow;
        http2MaxResetsSentPerWindow = b.http2MaxResetsSentPerWindow;
        http2ResetWindow = b.http2ResetWindow;
        http2MaxConsecutiveEmptyDataFrames = b.http2MaxConsecutiveEmptyDataFrames;
        http2MaxSmallContinuationFrames = b.http2MaxSmallContinuationFrames;
        http2MaxQueuedControlFrames = b.http2MaxQueuedControlFrames;
        allowBareLf = b.allowBareLf;
        serverHeader = b.serverHeader;
        responseBufferSize = b.responseBufferSize;
        maxChunkExtensionBytes = b.maxChunkExtensionBytes;
        tls = b.tls;
        admission = b.admission;
        accessLog = b.accessLog;
    }

    /** @return a builder with every default set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.transport = transport;
        b.ioThreads = ioThreads;
        b.dispatchMode = dispatchMode;
        b.workerThreads = workerThreads;
        b.workerQueueCapacity = workerQueueCapacity;
        b.maxHeadSize = maxHeadSize;
        b.maxHeaderCount = maxHeaderCount;
        b.maxRequestBodySize = maxRequestBodySize;
        b.drainLimit = drainLimit;
        b.headTimeout = headTimeout;
        b.keepAliveTimeout = keepAliveTimeout;
        b.bodyReadTimeout = bodyReadTimeout;
        b.writeTimeout = writeTimeout;
        b.drainIdleGrace = drainIdleGrace;
        b.maxConnections = maxConnections;
        b.maxKeepAliveRequests = maxKeepAliveRequests;
        b.backlog = backlog;
        b.allowBareLf = allowBareLf;
        b.serverHeader = serverHeader;
        b.responseBufferSize = responseBufferSize;
        b.maxChunkExtensionBytes = maxChunkExtensionBytes;
        b.tls = tls;
        b.admission = admission;
        b.http2 = http2;
        b.http2MaxConcurrentStreams = http2MaxConcurrentStreams;
        b.http2MaxHandlersPerConnection = http2MaxHandlersPerConnection;
        b.http2InitialWindowSize = http2InitialWindowSize;
        b.http2MaxUpgradeBodySize = http2MaxUpgradeBodySize;
        b.http2MaxFrameSize = http2MaxFrameSize;
        b.http2MaxResetsReceivedPerWindow = http2MaxResetsReceivedPerWindow;
        b.http2MaxResetsSentPerWindow = http2MaxResetsSentPerWindow;
        b.http2ResetWindow = http2ResetWindow;
        b.http2MaxConsecutiveEmptyDataFrames = http2MaxConsecutiveEmptyDataFrames;
        b.http2MaxSmallContinuationFrames = http2MaxSmallContinuationFrames;
        b.http2MaxQueuedControlFrames = http2MaxQueuedControlFrames;
        b.accessLog = accessLog;
        return b;
    }

    /** @return the address to bind, or {@code null} for the dual-stack wildcard */
    public String host() { return host; }
    public int port() { return port; }
    public TransportKind transport() { return transport; }
    public int ioThreads() { return ioThreads; }
    public DispatchMode dispatchMode() { return dispatchMode; }
    public int workerThreads() { return workerThreads; }
    public int workerQueueCapacity() { return workerQueueCapacity; }
    public int maxHeadSize() { return maxHeadSize; }
    public int maxHeaderCount() { return maxHeaderCount; }
    public long maxRequestBodySize() { return maxRequestBodySize; }
    public long drainLimit() { return drainLimit; }
    public Duration headTimeout() { return headTimeout; }
    public Duration keepAliveTimeout() { return keepAliveTimeout; }
    public Duration bodyReadTimeout() { return bodyReadTimeout; }
    public Duration writeTimeout() { return writeTimeout; }
    /** @return how long a connection must have been idle before a graceful shutdown closes it */
    public Duration drainIdleGrace() { return drainIdleGrace; }
    public int maxConnections() { return maxConnections; }
    public int maxKeepAliveRequests() { return maxKeepAliveRequests; }
    public int backlog() { return backlog; }
    public boolean allowBareLf() { return allowBareLf; }
    /** @return the {@code Server} header value, or {@code null} to send none */
    public String serverHeader() { return serverHeader; }
    public int responseBufferSize() { return responseBufferSize; }
    public int maxChunkExtensionBytes() { return maxChunkExtensionBytes; }

    /** @return the listener's TLS settings, or {@code null} for cleartext */
    public TlsConfig tls() { return tls; }

    /** @return the admission control settings ({@link AdmissionConfig#OFF} by default) */
    public AdmissionConfig admission() { return admission; }

    /** @return whether HTTP/2 is served too (h2 by ALPN on TLS, h2c with prior knowledge or Upgrade on cleartext) */
    public boolean http2() { return http2; }
    /** @return the streams an HTTP/2 client may have open at once on one connection */
    public int http2MaxConcurrentStreams() { return http2MaxConcurrentStreams; }
    /** @return the handlers one HTTP/2 connection may have running at once; further streams wait */
    public int http2MaxHandlersPerConnection() { return http2MaxHandlersPerConnection; }
    /** @return the flow-control window of each HTTP/2 stream the server receives on, in bytes */
    public int http2InitialWindowSize() { return http2InitialWindowSize; }
    /** @return the largest request body an h2c upgrade request may have (as sent); a larger one stays HTTP/1.1 */
    public int http2MaxUpgradeBodySize() { return http2MaxUpgradeBodySize; }
    /** @return the largest HTTP/2 frame payload the server accepts (SETTINGS_MAX_FRAME_SIZE), in bytes */
    public int http2MaxFrameSize() { return http2MaxFrameSize; }
    /** @return RST_STREAM frames a client may send per {@link #http2ResetWindow()} (Rapid Reset) */
    public int http2MaxResetsReceivedPerWindow() { return http2MaxResetsReceivedPerWindow; }
    /** @return RST_STREAM frames the server may send per {@link #http2ResetWindow()} (MadeYouReset) */
    public int http2MaxResetsSentPerWindow() { return http2MaxResetsSentPerWindow; }
    /** @return the window over which HTTP/2 resets are counted, whole seconds */
    public Duration http2ResetWindow() { return http2ResetWindow; }
    /** @return consecutive empty DATA frames without END_STREAM allowed on an HTTP/2 stream */
    public int http2MaxConsecutiveEmptyDataFrames() { return http2MaxConsecutiveEmptyDataFrames; }
    /** @return small CONTINUATION frames allowed in one HTTP/2 header block */
    public int http2MaxSmallContinuationFrames() { return http2MaxSmallContinuationFrames; }
    /** @return control frames (PING and SETTINGS acks, RST_STREAM) the server may hold unsent for a client that does not read */
    public int http2MaxQueuedControlFrames() { return http2MaxQueuedControlFrames; }
    /** @return where finished requests are reported, or {@code null} (the default: no access log) */
    public AccessLogSink accessLog() { return accessLog; }

    @Override
    public String toString() {
        return "ServerConfig[" + (host == null ? "*" : host) + ":" + port + ", transport=" + transport + ", ioThreads=" + ioThreads
                + ", dispatch=" + dispatchMode + ", workers=" + workerThreads + ", maxConnections=" + maxConnections + "]";
    }

    /** Builder of {@link ServerConfig}; every method validates its argument. */
    public static final class Builder {
        private String host;
        private int port = 8080;
        private TransportKind transport = TransportKind.AUTO;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private DispatchMode dispatchMode = DispatchMode.WORKER_POOL;
        private int workerThreads = 200;
        private int workerQueueCapacity = 10_000;
        private int maxHeadSize = 8 * 1024;
        private int maxHeaderCount = 100;
        private long maxRequestBodySize = -1;
        private long drainLimit = 2L * 1024 * 1024;
        private Duration headTimeout = Duration.ofSeconds(20);
        private Duration keepAliveTimeout = Duration.ofSeconds(60);
        private Duration bodyReadTimeout = Duration.ofSeconds(60);
        private Duration writeTimeout = Duration.ofSeconds(60);
        private Duration drainIdleGrace = Duration.ofSeconds(1);
        private int maxConnections = 10_000;
        private int maxKeepAliveRequests = -1;
        private int backlog = 1024;
        private boolean allowBareLf;
        private boolean http2;
        private int http2MaxConcurrentStreams = 100;
        private int http2MaxHandlersPerConnection = 20;
        private int http2InitialWindowSize = 65_535;
        private int http2MaxUpgradeBodySize = 64 * 1024;
        private int http2MaxFrameSize = 16_384;
        private int http2MaxResetsReceivedPerWindow = 200;
        private int http2MaxResetsSentPerWindow = 200;
        private Duration http2ResetWindow = Duration.ofSeconds(30);
        private int http2MaxConsecutiveEmptyDataFrames = 2;
        private int http2MaxSmallContinuationFrames = 16;
        private int http2MaxQueuedControlFrames = 10_000;
        private String serverHeader = "Saker";
        private int responseBufferSize = 8 * 1024;
        private int maxChunkExtensionBytes = 4 * 1024;
        private TlsConfig tls;
        private AdmissionConfig admission = AdmissionConfig.OFF;
        private AccessLogSink accessLog;

        private Builder() {
        }

        /**
         * Address to bind; {@code null} (the default) binds the wildcard of every interface, IPv6 and
         * IPv4 (dual-stack) where the host has IPv6, else IPv4's {@code 0.0.0.0}.
         */
        public Builder host(String host) {
            this.host = host == null || host.isEmpty() ? null : host;
            return this;
        }

        /**
         * Port to bind (default 8080); 0 binds an ephemeral port, see {@link SakerServer#port()}; -1
         * binds no listener at all (the server starts and stops, but accepts nothing).
         */
        public Builder port(int port) {
            this.port = range("port", port, NO_LISTENER, 65535);
            return this;
        }

        /** Transport (default {@link TransportKind#AUTO}). */
        public Builder transport(TransportKind transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Number of event loops (default: available processors). */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = range("ioThreads", ioThreads, 1, 1024);
            return this;
        }

        /** Where handlers run (default {@link DispatchMode#WORKER_POOL}). */
        public Builder dispatchMode(DispatchMode dispatchMode) {
            this.dispatchMode = Objects.requireNonNull(dispatchMode, "dispatchMode");
            return this;
        }

        /** Maximum worker pool threads for {@link DispatchMode#WORKER_POOL} (default 200). */
        public Builder workerThreads(int workerThreads) {
            this.workerThreads = range("workerThreads", workerThreads, 1, 100_000);
            return this;
        }

        /** Requests that may wait for a busy worker pool before new ones get 503 (default 10 000). */
        public Builder workerQueueCapacity(int capacity) {
            this.workerQueueCapacity = range("workerQueueCapacity", capacity, 0, Integer.MAX_VALUE);
            return this;
        }

        /** Largest request head, request line and fields together (default 8 KiB): 414 or 431 past it. */
        public Builder maxHeadSize(int bytes) {
            this.maxHeadSize = range("maxHeadSize", bytes, 256, 1024 * 1024);
            return this;
        }

        /** Most header fields in a request (default 100): 431 past it. */
        public Builder maxHeaderCount(int count) {
            this.maxHeaderCount = range("maxHeaderCount", count, 1, 10_000);
            return this;
        }

        /** Largest request body in bytes (default -1: unlimited): 413 past it. */
        public Builder maxRequestBodySize(long bytes) {
            if (bytes < -1) {
                throw new IllegalArgumentException("maxRequestBodySize must be -1 (unlimited) or >= 0: " + bytes);
            }
            this.maxRequestBodySize = bytes;
            return this;
        }

        /** Unread request body the server reads and discards to keep a connection (default 2 MiB); past it, it closes. */
        public Builder drainLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("drainLimit must be >= 0: " + bytes);
            }
            this.drainLimit = bytes;
            return this;
        }

        /** Deadline for a whole request head from its first byte (default 20 s): 408 and close. */
        public Builder headTimeout(Duration timeout) {
            this.headTimeout = positive("headTimeout", timeout);
            return this;
        }

        /** Idle time of a keep-alive connection between requests (default 60 s): closed silently. */
        public Builder keepAliveTimeout(Duration timeout) {
            this.keepAliveTimeout = positive("keepAliveTimeout", timeout);
            return this;
        }

        /** Longest wait for more request body bytes while a handler reads (default 60 s): the read fails, the connection closes. */
        public Builder bodyReadTimeout(Duration timeout) {
            this.bodyReadTimeout = positive("bodyReadTimeout", timeout);
            return this;
        }

        /** Longest time a response may stay unwritable because the client does not read (default 60 s): dropped. */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive("writeTimeout", timeout);
            return this;
        }

        /**
         * During a graceful shutdown, how long a kept-alive connection must have been idle (since its
         * last response, or since it was accepted, and since the drain began) before it is closed (default 1 s; 0 closes idle
         * connections at once). A request a load balancer is just sending on it still gets in and is
         * answered with {@code Connection: close}. Bounded by the shutdown's own deadline.
         */
        public Builder drainIdleGrace(Duration grace) {
            Objects.requireNonNull(grace, "drainIdleGrace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("drainIdleGrace must be >= 0: " + grace);
            }
            this.drainIdleGrace = grace;
            return this;
        }

        /**
         * Most open connections (default 10 000; -1: no limit, as Tomcat's {@code maxConnections});
         * at the limit accepting pauses and new ones wait in the backlog.
         */
        public Builder maxConnections(int count) {
            this.maxConnections = count == -1 ? Integer.MAX_VALUE : range("maxConnections", count, 1, Integer.MAX_VALUE);
            return this;
        }

        /** Requests served on one connection before it closes (default -1: unlimited). */
        public Builder maxKeepAliveRequests(int count) {
            if (count == 0 || count < -1) {
                throw new IllegalArgumentException("maxKeepAliveRequests must be -1 (unlimited) or > 0: " + count);
            }
            this.maxKeepAliveRequests = count;
            return this;
        }

        /** Listen backlog of each listening socket (default 1024). */
        public Builder backlog(int backlog) {
            this.backlog = range("backlog", backlog, 1, 65535);
            return this;
        }

        /** Accept a bare LF as a line end in heads and chunk framing (default false: 400). */
        public Builder allowBareLf(boolean allow) {
            this.allowBareLf = allow;
            return this;
        }

        /** Value of the {@code Server} header (default {@code Saker}, no version); {@code null} sends none. */
        public Builder serverHeader(String value) {
            this.serverHeader = value;
            return this;
        }

        /** Size of a streamed response's buffer (default 8 KiB): a body that fits is sent with a length. */
        public Builder responseBufferSize(int bytes) {
            this.responseBufferSize = range("responseBufferSize", bytes, 256, 16 * 1024 * 1024);
            return this;
        }

        /** Total bytes of chunk extensions accepted in one request body (default 4 KiB): 400 past it. */
        public Builder maxChunkExtensionBytes(int bytes) {
            this.maxChunkExtensionBytes = range("maxChunkExtensionBytes", bytes, 0, 1024 * 1024);
            return this;
        }

        /** @return the configuration */
        /** TLS for the listener (default {@code null}: cleartext HTTP). */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /** Admission control: per-client and concurrency limits (default {@link AdmissionConfig#OFF}). */
        public Builder admission(AdmissionConfig admission) {
            this.admission = Objects.requireNonNull(admission, "admission");
            return this;
        }

        /**
         * Serve HTTP/2 besides HTTP/1.1 (default false): a TLS listener offers {@code h2} before
         * {@code http/1.1} by ALPN; a cleartext one takes h2c with prior knowledge (a connection that
         * opens with the HTTP/2 preface) or by {@code Upgrade: h2c}, and serves everything else as
         * HTTP/1.1.
         */
        public Builder http2(boolean enabled) {
            this.http2 = enabled;
            return this;
        }

        /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS (default 100): streams one client may have open at once. */
        public Builder http2MaxConcurrentStreams(int streams) {
            this.http2MaxConcurrentStreams = range("http2MaxConcurrentStreams", streams, 1, 10_000);
            return this;
        }

        /**
         * Handlers one HTTP/2 connection may have running at once (default 20, as Tomcat): a stream
         * whose request head arrives while that many run waits, in order, until one returns (a
         * waiting stream the client resets runs none). Bounds the worker threads one client can
         * hold without lowering {@link #http2MaxConcurrentStreams(int)}, which bounds the wait.
         */
        public Builder http2MaxHandlersPerConnection(int handlers) {
            this.http2MaxHandlersPerConnection = range("http2MaxHandlersPerConnection", handlers, 1, 10_000);
            return this;
        }

        /**
         * HTTP/2 SETTINGS_INITIAL_WINDOW_SIZE (default 65535, the protocol's default): how many
         * request body bytes a client may send on a stream before the handler reads them.
         */
        public Builder http2InitialWindowSize(int bytes) {
            this.http2InitialWindowSize = range("http2InitialWindowSize", bytes, 1024, Integer.MAX_VALUE);
            return this;
        }

        /**
         * Largest body, in bytes as sent (chunk framing included), of a cleartext request asking
         * for h2c with {@code Upgrade} (default 64 KiB, 0..16 MiB): that body is read whole and held
         * before the switch, so this bounds the memory an upgrade costs; a request with a larger
         * body is served as HTTP/1.1 without upgrading. 0 upgrades only requests without a body.
         */
        public Builder http2MaxUpgradeBodySize(int bytes) {
            this.http2MaxUpgradeBodySize = range("http2MaxUpgradeBodySize", bytes, 0, 16 * 1024 * 1024);
            return this;
        }

        /**
         * HTTP/2 SETTINGS_MAX_FRAME_SIZE (default 16384, the protocol's default; 16384 to 16777215):
         * the largest frame payload a client may send; a larger frame is a FRAME_SIZE_ERROR.
         */
        public Builder http2MaxFrameSize(int bytes) {
            this.http2MaxFrameSize = range("http2MaxFrameSize", bytes, 16_384, 16_777_215);
            return this;
        }

        /**
         * RST_STREAM frames one HTTP/2 client may send per {@link #http2ResetWindow(Duration)}
         * (default 200): one more is Rapid Reset (CVE-2023-44487), answered with
         * GOAWAY(ENHANCE_YOUR_CALM) and the connection closed.
         */
        public Builder http2MaxResetsReceivedPerWindow(int resets) {
            this.http2MaxResetsReceivedPerWindow = range("http2MaxResetsReceivedPerWindow", resets, 1, Integer.MAX_VALUE);
            return this;
        }

        /**
         * RST_STREAM frames the server may send on one HTTP/2 connection per
         * {@link #http2ResetWindow(Duration)} (default 200): a client that provokes more (MadeYouReset,
         * CVE-2025-8671) gets GOAWAY(ENHANCE_YOUR_CALM) and the connection closed.
         */
        public Builder http2MaxResetsSentPerWindow(int resets) {
            this.http2MaxResetsSentPerWindow = range("http2MaxResetsSentPerWindow", resets, 1, Integer.MAX_VALUE);
            return this;
        }

        /** Window over which HTTP/2 resets sent and received are counted (default 30 s; whole seconds, 1 s to 1 day). */
        public Builder http2ResetWindow(Duration window) {
            positive("http2ResetWindow", window);
            if (window.getNano() != 0 || window.getSeconds() > 86_400) {
                throw new IllegalArgumentException("http2ResetWindow must be whole seconds in [1s, 1d]: " + window);
            }
            this.http2ResetWindow = window;
            return this;
        }

        /**
         * Consecutive empty DATA frames without END_STREAM allowed on one HTTP/2 stream (default 2):
         * one more is a flood (GOAWAY(ENHANCE_YOUR_CALM), closed).
         */
        public Builder http2MaxConsecutiveEmptyDataFrames(int frames) {
            this.http2MaxConsecutiveEmptyDataFrames = range("http2MaxConsecutiveEmptyDataFrames", frames, 1, 10_000);
            return this;
        }

        /**
         * Small CONTINUATION frames allowed in one HTTP/2 header block (default 16): more is a
         * CONTINUATION flood (GOAWAY(ENHANCE_YOUR_CALM), closed). The block's size is bounded by
         * {@link #maxHeadSize(int)} anyway.
         */
        public Builder http2MaxSmallContinuationFrames(int frames) {
            this.http2MaxSmallContinuationFrames = range("http2MaxSmallContinuationFrames", frames, 1, 10_000);
            return this;
        }

        /**
         * Control frames (PING and SETTINGS acknowledgements, RST_STREAM) the server may hold unsent
         * on one HTTP/2 connection because the client does not read (default 10 000): one more
         * closes the connection.
         */
        public Builder http2MaxQueuedControlFrames(int frames) {
            this.http2MaxQueuedControlFrames = range("http2MaxQueuedControlFrames", frames, 1, 1_000_000);
            return this;
        }

        /**
         * Where each finished request is reported (every request, including those the engine answers
         * itself), on the event loop; {@code null} (the default) logs nothing. See
         * {@link dev.saker.server.accesslog.AccessLog}.
         */
        public Builder accessLog(AccessLogSink accessLog) {
            this.accessLog = accessLog;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(this);
        }

        private static int range(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
