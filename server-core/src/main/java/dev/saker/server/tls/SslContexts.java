package dev.saker.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds the Netty server {@link SslContext} of one {@link TlsMaterial}. */
final class SslContexts {

    private static final List<String> OPENSSL_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "SSLv3", "SSLv2Hello");

    private SslContexts() {
    }

    /**
     * Builds the context and checks its protocol and cipher names, so names the provider does not
     * know fail here, not in the first handshake.
     *
     * @param alpnIds the protocols to advertise over ALPN, in preference order
     * @throws TlsSetupException when the provider refuses the material
     */
    static SslContext build(TlsMaterial material, SslProvider provider, List<String> alpnIds, String what) {
        try {
            // The key managers as given, also on OpenSSL: Netty (4.2) keeps the native form of the
            // last key and chain it converted and reuses it while the key manager answers with the
            // same instances, so a single key is converted once per context. Not Netty's
            // OpenSslCachingX509KeyManagerFactory: its per-alias cache sits on top of that one, and
            // two first handshakes on two event loops at once (the first after a reload, under
            // load) can both take the material from the inner cache, and the second keeps a
            // reference nobody releases: the native key and chain leak (OpenSslKeyMaterialReleaseTest).
            SslContextBuilder builder = SslContextBuilder.forServer(material.keyManagers())
                    .sslProvider(provider)
                    .clientAuth(clientAuth(material.clientAuth()))
                    // A client that offers no protocol of ours gets no ALPN answer and speaks the
                    // default (HTTP/1.1); OpenSSL has no fatal-alert mode in Netty.
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpnIds));
            if (material.trustManagers() != null) {
                builder.trustManager(material.trustManagers());
            }
            if (!material.protocols().isEmpty()) {
                if (provider != SslProvider.JDK) {
                    checkOpenSslProtocols(material.protocols());
                }
                builder.protocols(material.protocols());
            }
            if (!material.ciphers().isEmpty()) {
                builder.ciphers(material.ciphers());
            }
            SslContext context = builder.build();
            if (provider == SslProvider.JDK) {
                // The JDK checks protocol and cipher names only when an engine takes them.
                context.newEngine(ByteBufAllocator.DEFAULT);
            }
            // Session resumption needs nothing more: the JDK keeps a session cache and issues
            // stateless tickets; BoringSSL keeps a session cache and issues tickets under keys it
            // generates and rotates itself (setting keys of our own would stop that rotation).
            return context;
        } catch (SSLException | RuntimeException e) {
            throw new TlsSetupException("cannot set up TLS for " + what + " with provider "
                    + (provider == SslProvider.JDK ? TlsProvider.JDK : TlsProvider.OPENSSL) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * OpenSSL contexts check cipher names when built, but protocol names only in each engine, and an
     * OpenSSL engine that fails half-built trips over itself when finalized: check them here.
     */
    private static void checkOpenSslProtocols(List<String> protocols) {
        for (String protocol : protocols) {
            if (!OPENSSL_PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("unknown protocol " + protocol + " (known: " + OPENSSL_PROTOCOLS + ")");
            }
        }
    }

    private static io.netty.handler.ssl.ClientAuth clientAuth(ClientAuth clientAuth) {
        switch (clientAuth) {
            case NONE:
                return io.netty.handler.ssl.ClientAuth.NONE;
            case WANT:
                return io.netty.handler.ssl.ClientAuth.OPTIONAL;
            case NEED:
                return io.netty.handler.ssl.ClientAuth.REQUIRE;
            default:
                throw new IllegalArgumentException("unknown client auth " + clientAuth);
        }
    }
}
