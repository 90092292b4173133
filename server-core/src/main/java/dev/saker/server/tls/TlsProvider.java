package dev.saker.server.tls;

/** Which TLS implementation serves handshakes and records. */
public enum TlsProvider {
    /** OpenSSL (BoringSSL through netty-tcnative) when it loads, the JDK's engine otherwise. */
    AUTO,
    /** OpenSSL only: the server fails to start when netty-tcnative cannot be loaded. */
    OPENSSL,
    /** The JDK's {@code SSLEngine}. */
    JDK
}
