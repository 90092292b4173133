package dev.saker.boot.servlet;

import dev.saker.server.tls.TlsProvider;

/** The cases of {@link SslBundleReloadTest} on the JDK's TLS engine (that class runs them as Boot would: OpenSSL when it loads). */
class SslBundleReloadJdkTest extends SslBundleReloadTest {

    @Override
    TlsProvider provider() {
        return TlsProvider.JDK;
    }
}
