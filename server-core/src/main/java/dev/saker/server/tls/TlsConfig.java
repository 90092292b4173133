package dev.saker.server.tls;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * TLS settings of a listener: the default certificate, certificates chosen by SNI server name, the
 * provider, and the bounds on a handshake. Immutable; certificates are replaced at run time with
 * {@code SakerServer.reloadTls}.
 */
public final class TlsConfig {

    /** Default bound on a ClientHello: far above what browsers send (about 2 KiB with post-quantum keys). */
    public static final int DEFAULT_MAX_CLIENT_HELLO_SIZE = 16 * 1024;

    private final TlsMaterial defaultMaterial;
    private final Map<String, TlsMaterial> serverNames;
    private final TlsProvider provider;
    private final Duration handshakeTimeout;
    private final int maxClientHelloSize;

    private TlsConfig(Builder b) {
        defaultMaterial = Objects.requireNonNull(b.defaultMaterial, "default TLS material");
        serverNames = Map.copyOf(b.serverNames);
        provider = b.provider;
        handshakeTimeout = b.handshakeTimeout;
        maxClientHelloSize = b.maxClientHelloSize;
    }

    /** @return a builder for a listener serving {@code defaultMaterial} */
    public static Builder builder(TlsMaterial defaultMaterial) {
        return new Builder(defaultMaterial);
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        Builder b = new Builder(defaultMaterial);
        b.serverNames.putAll(serverNames);
        b.provider = provider;
        b.handshakeTimeout = handshakeTimeout;
        b.maxClientHelloSize = maxClientHelloSize;
        return b;
    }

    /**
     * @return this configuration with other certificates (what {@code SakerServer.reloadTls} keeps
     *         for the next start)
     * @param serverNames material by server name (any case); replaces all of this one's
     */
    public TlsConfig withMaterial(TlsMaterial defaultMaterial, Map<String, TlsMaterial> serverNames) {
        Builder b = toBuilder().defaultMaterial(defaultMaterial);
        b.serverNames.clear();
        serverNames.forEach(b::serverName);
        return b.build();
    }

    /** @return what is served when the client names no server, or one without its own material */
    public TlsMaterial defaultMaterial() { return defaultMaterial; }

    /** @return material by lower-case server name (SNI); exact names only */
    public Map<String, TlsMaterial> serverNames() { return serverNames; }

    public TlsProvider provider() { return provider; }

    /** @return how long a connection may take from accept to a finished handshake */
    public Duration handshakeTimeout() { return handshakeTimeout; }

    /** @return the largest ClientHello accepted, in bytes; a larger one closes the connection */
    public int maxClientHelloSize() { return maxClientHelloSize; }

    /** Builder of {@link TlsConfig}. */
    public static final class Builder {
        private TlsMaterial defaultMaterial;
        private final Map<String, TlsMaterial> serverNames = new LinkedHashMap<>();
        private TlsProvider provider = TlsProvider.AUTO;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int maxClientHelloSize = DEFAULT_MAX_CLIENT_HELLO_SIZE;

        private Builder(TlsMaterial defaultMaterial) {
            this.defaultMaterial = Objects.requireNonNull(defaultMaterial, "defaultMaterial");
        }

        public Builder defaultMaterial(TlsMaterial material) {
            this.defaultMaterial = Objects.requireNonNull(material, "defaultMaterial");
            return this;
        }

        /** Serves {@code material} to clients that name {@code serverName} (case-insensitive). */
        public Builder serverName(String serverName, TlsMaterial material) {
            Objects.requireNonNull(serverName, "serverName");
            serverNames.put(serverName.toLowerCase(Locale.ROOT), Objects.requireNonNull(material, "material"));
            return this;
        }

        /** Provider (default {@link TlsProvider#AUTO}). */
        public Builder provider(TlsProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Accept-to-handshake-done bound (default 10 s). */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "handshakeTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** Largest ClientHello accepted, 256 bytes to 16 MiB (default 16 KiB). */
        public Builder maxClientHelloSize(int bytes) {
            if (bytes < 256 || bytes > 0xFFFFFF) {
                throw new IllegalArgumentException("maxClientHelloSize must be within [256, 16777215]: " + bytes);
            }
            this.maxClientHelloSize = bytes;
            return this;
        }

        public TlsConfig build() {
            return new TlsConfig(this);
        }
    }
}
