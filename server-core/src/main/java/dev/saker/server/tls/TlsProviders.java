package dev.saker.server.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/** Turns the configured {@link TlsProvider} into the Netty provider that serves it on this JVM. */
final class TlsProviders {

    private TlsProviders() {
    }

    /**
     * OpenSSL is served by Netty's reference-counted flavour: the listener releases its contexts
     * when it replaces or stops them and each {@code SslHandler} its engine when it leaves the
     * pipeline, so native memory is freed at once, not by finalizers in whatever order the GC
     * picks (which the leak detector reports as leaks of the cached key material).
     *
     * @throws TlsSetupException when {@link TlsProvider#OPENSSL} is asked for and netty-tcnative
     *         cannot be loaded on this platform
     */
    static SslProvider resolve(TlsProvider provider) {
        switch (provider) {
            case JDK:
                return SslProvider.JDK;
            case OPENSSL:
                if (!OpenSsl.isAvailable()) {
                    throw new TlsSetupException("TLS provider OPENSSL is not available: netty-tcnative-boringssl-static"
                            + " for this platform (" + System.getProperty("os.name") + ", " + System.getProperty("os.arch")
                            + ") is missing or cannot be loaded; add it, or use provider AUTO or JDK", OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL_REFCNT;
            case AUTO:
                return OpenSsl.isAvailable() ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK;
            default:
                throw new IllegalArgumentException("unknown TLS provider " + provider);
        }
    }
}
