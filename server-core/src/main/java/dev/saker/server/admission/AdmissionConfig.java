package dev.saker.server.admission;

import dev.saker.server.forwarded.TrustedProxies;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of admission control, all off by default: per client, a cap on open connections and a
 * token bucket of requests; globally, a cap on requests running at once, fixed or adaptive (AIMD on
 * latency). See {@code docs/admission-control.md}.
 */
public final class AdmissionConfig {

    /** Admission control off: the default. */
    public static final AdmissionConfig OFF = builder().build();

    private final int maxConnectionsPerClient;
    private final double requestsPerSecond;
    private final int burst;
    private final int maxClients;
    private final int perClientIpv6PrefixLength;
    private final int maxConcurrentRequests;
    private final Duration retryAfter;
    private final boolean adaptive;
    private final int adaptiveMinLimit;
    private final int adaptiveInitialLimit;
    private final Duration adaptiveLatencyThreshold;
    private final double adaptiveBackoffRatio;
    private final List<String> trustedProxies;
    private final String clientHeader;
    private final LongSupplier nanoClock;

    private AdmissionConfig(Builder b) {
        maxConnectionsPerClient = b.maxConnectionsPerClient;
        requestsPerSecond = b.requestsPerSecond;
        burst = b.burst;
        maxClients = b.maxClients;
        perClientIpv6PrefixLength = b.perClientIpv6PrefixLength;
        maxConcurrentRequests = b.maxConcurrentRequests;
        retryAfter = b.retryAfter;
        adaptive = b.adaptive;
        adaptiveMinLimit = b.adaptiveMinLimit;
        adaptiveInitialLimit = b.adaptiveInitialLimit;
        adaptiveLatencyThreshold = b.adaptiveLatencyThreshold;
        adaptiveBackoffRatio = b.adaptiveBackoffRatio;
        trustedProxies = b.trustedProxies;
        clientHeader = b.clientHeader;
        nanoClock = b.nanoClock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxConnectionsPerClient = maxConnectionsPerClient;
        b.requestsPerSecond = requestsPerSecond;
        b.burst = burst;
        b.maxClients = maxClients;
        b.perClientIpv6PrefixLength = perClientIpv6PrefixLength;
        b.maxConcurrentRequests = maxConcurrentRequests;
        b.retryAfter = retryAfter;
        b.adaptive = adaptive;
        b.adaptiveMinLimit = adaptiveMinLimit;
        b.adaptiveInitialLimit = adaptiveInitialLimit;
        b.adaptiveLatencyThreshold = adaptiveLatencyThreshold;
        b.adaptiveBackoffRatio = adaptiveBackoffRatio;
        b.trustedProxies = trustedProxies;
        b.clientHeader = clientHeader;
        b.nanoClock = nanoClock;
        return b;
    }

    /** @return the most connections one client may have open, or -1 (no limit) */
    public int maxConnectionsPerClient() { return maxConnectionsPerClient; }
    /** @return the sustained requests per second of one client, or 0 (no rate limit) */
    public double requestsPerSecond() { return requestsPerSecond; }
    /** @return the requests one client may send at once on a full bucket */
    public int burst() { return burst; }
    /** @return the most clients the per-client table holds */
    public int maxClients() { return maxClients; }
    /** @return the leading bits of an IPv6 address that make one client (128: each address its own) */
    public int perClientIpv6PrefixLength() { return perClientIpv6PrefixLength; }
    /** @return the most requests running at once (the upper bound of the adaptive limit), or -1 (no limit) */
    public int maxConcurrentRequests() { return maxConcurrentRequests; }
    /** @return the {@code Retry-After} of a 503 at the concurrency limit */
    public Duration retryAfter() { return retryAfter; }
    public boolean adaptive() { return adaptive; }
    public int adaptiveMinLimit() { return adaptiveMinLimit; }
    /** @return the adaptive limit at start, or -1 for {@link #maxConcurrentRequests()} */
    public int adaptiveInitialLimit() { return adaptiveInitialLimit; }
    public Duration adaptiveLatencyThreshold() { return adaptiveLatencyThreshold; }
    public double adaptiveBackoffRatio() { return adaptiveBackoffRatio; }
    /** @return addresses and CIDR blocks of the proxies whose client header is believed (empty: none) */
    public List<String> trustedProxies() { return trustedProxies; }
    /** @return {@code X-Forwarded-For} or {@code Forwarded} */
    public String clientHeader() { return clientHeader; }
    LongSupplier nanoClock() { return nanoClock; }

    /** @return whether any per-client limit is on (which makes the server keep a client table) */
    public boolean perClient() {
        return maxConnectionsPerClient > 0 || requestsPerSecond > 0;
    }

    /** @return whether any limit is on */
    public boolean enabled() {
        return perClient() || maxConcurrentRequests > 0;
    }

    /** Builder of {@link AdmissionConfig}; every method validates its argument. */
    public static final class Builder {
        private int maxConnectionsPerClient = -1;
        private double requestsPerSecond;
        private int burst = -1;
        private int maxClients = 100_000;
        private int perClientIpv6PrefixLength = 64;
        private int maxConcurrentRequests = -1;
        private Duration retryAfter = Duration.ofSeconds(1);
        private boolean adaptive;
        private int adaptiveMinLimit = 1;
        private int adaptiveInitialLimit = -1;
        private Duration adaptiveLatencyThreshold = Duration.ofSeconds(1);
        private double adaptiveBackoffRatio = 0.9;
        private List<String> trustedProxies = List.of();
        private String clientHeader = "X-Forwarded-For";
        private LongSupplier nanoClock = System::nanoTime;

        private Builder() {
        }

        /**
         * Connections one client (remote address) may have open at once (default -1: no limit);
         * one more is closed as soon as it is accepted.
         */
        public Builder maxConnectionsPerClient(int count) {
            this.maxConnectionsPerClient = count == -1 ? -1 : range("maxConnectionsPerClient", count, 1, Integer.MAX_VALUE);
            return this;
        }

        /** Sustained requests per second one client may send (default 0: no limit): 429 past its bucket. */
        public Builder requestsPerSecond(double rate) {
            if (!(rate >= 0) || rate > 1_000_000_000) {
                throw new IllegalArgumentException("requestsPerSecond must be in [0, 1e9]: " + rate);
            }
            this.requestsPerSecond = rate;
            return this;
        }

        /** Size of a client's token bucket (default -1: the rate rounded up, at least 1). */
        public Builder burst(int requests) {
            this.burst = requests == -1 ? -1 : range("burst", requests, 1, Integer.MAX_VALUE);
            return this;
        }

        /** Most clients the per-client table tracks (default 100 000); idle ones are evicted past it. */
        public Builder maxClients(int count) {
            this.maxClients = range("maxClients", count, 16, 100_000_000);
            return this;
        }

        /**
         * Leading bits of an IPv6 address that make one client for the per-client limits (default
         * 64, in [1, 128]; 128: each address its own). A subscriber or host is usually given a whole
         * /64, so per address one client would get a bucket and a connection allowance for each of
         * 2^64 addresses. IPv4 clients, IPv4-mapped IPv6 ones included, are keyed by address.
         */
        public Builder perClientIpv6PrefixLength(int bits) {
            this.perClientIpv6PrefixLength = range("perClientIpv6PrefixLength", bits, 1, 128);
            return this;
        }

        /** Requests running at once, server-wide (default -1: no limit): 503 past it. */
        public Builder maxConcurrentRequests(int count) {
            this.maxConcurrentRequests = count == -1 ? -1 : range("maxConcurrentRequests", count, 1, Integer.MAX_VALUE);
            return this;
        }

        /** {@code Retry-After} of a 503 at the concurrency limit (default 1 s; whole seconds). */
        public Builder retryAfter(Duration retryAfter) {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative() || retryAfter.getNano() != 0) {
                throw new IllegalArgumentException("retryAfter must be whole seconds >= 0: " + retryAfter);
            }
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * Adapt the concurrency limit between {@link #adaptiveMinLimit(int)} and
         * {@link #maxConcurrentRequests(int)} (default false): +1 after a request faster than the
         * threshold while at least half the limit is in use, times the backoff ratio after a slower
         * one or a handler's 503.
         */
        public Builder adaptive(boolean adaptive) {
            this.adaptive = adaptive;
            return this;
        }

        /** Lowest adaptive limit (default 1). */
        public Builder adaptiveMinLimit(int limit) {
            this.adaptiveMinLimit = range("adaptiveMinLimit", limit, 1, Integer.MAX_VALUE);
            return this;
        }

        /** Adaptive limit at start (default -1: {@link #maxConcurrentRequests(int)}). */
        public Builder adaptiveInitialLimit(int limit) {
            this.adaptiveInitialLimit = limit == -1 ? -1 : range("adaptiveInitialLimit", limit, 1, Integer.MAX_VALUE);
            return this;
        }

        /** Latency above which a request lowers the adaptive limit (default 1 s). */
        public Builder adaptiveLatencyThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "adaptiveLatencyThreshold");
            if (threshold.isZero() || threshold.isNegative()) {
                throw new IllegalArgumentException("adaptiveLatencyThreshold must be positive: " + threshold);
            }
            this.adaptiveLatencyThreshold = threshold;
            return this;
        }

        /** Factor applied to the adaptive limit after a slow request or a 503 (default 0.9; in [0.5, 1)). */
        public Builder adaptiveBackoffRatio(double ratio) {
            if (!(ratio >= 0.5 && ratio < 1)) {
                throw new IllegalArgumentException("adaptiveBackoffRatio must be in [0.5, 1): " + ratio);
            }
            this.adaptiveBackoffRatio = ratio;
            return this;
        }

        /**
         * IP addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}) of the reverse proxies
         * whose {@link #clientHeader(String) client header} names the client of a request (default
         * none: the client is always the connection's remote address). A connection from one of them
         * is exempt from the connection limit (it carries many clients); its requests count against
         * the forwarded client's bucket. Literals only: validated now, never resolved.
         */
        public Builder trustedProxies(List<String> cidrs) {
            List<String> copy = List.copyOf(cidrs);
            TrustedProxies.cidrs(copy);
            this.trustedProxies = copy;
            return this;
        }

        /** The header a trusted proxy names the client in: {@code X-Forwarded-For} (default) or {@code Forwarded}. */
        public Builder clientHeader(String header) {
            String h = Objects.requireNonNull(header, "clientHeader").toLowerCase(Locale.ROOT);
            if (h.equals("x-forwarded-for")) {
                this.clientHeader = "X-Forwarded-For";
            } else if (h.equals("forwarded")) {
                this.clientHeader = "Forwarded";
            } else {
                throw new IllegalArgumentException("clientHeader must be X-Forwarded-For or Forwarded: " + header);
            }
            return this;
        }

        /** The clock of token buckets and latencies, in nanoseconds (default {@link System#nanoTime()}; tests pass a fake). */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = Objects.requireNonNull(clock, "nanoClock");
            return this;
        }

        public AdmissionConfig build() {
            if (adaptive && maxConcurrentRequests > 0 && adaptiveMinLimit > maxConcurrentRequests) {
                throw new IllegalArgumentException("adaptiveMinLimit " + adaptiveMinLimit
                        + " exceeds maxConcurrentRequests " + maxConcurrentRequests);
            }
            return new AdmissionConfig(this);
        }

        private static int range(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
            }
            return value;
        }
    }
}
