package dev.saker.boot.ssl;

import dev.saker.server.tls.ClientAuth;
import dev.saker.server.tls.TlsMaterial;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.web.server.Ssl;

/**
 * Turns one of Spring Boot's {@link SslBundle}s into the engine's {@link TlsMaterial}: the bundle's
 * key managers (Boot narrows them to {@code key.alias}, and fails with "Keystore does not contain
 * alias" when the store has no such entry), its trust managers when client certificates are asked
 * for or a trust store is configured, the protocols and ciphers of its options, and the served
 * certificate chain from its key store (for the certificate expiry gauge).
 */
public final class BundleTlsMaterial {

    /** The protocol name that means "whatever the provider enables" ({@code server.ssl.protocol}'s default). */
    private static final String ANY_TLS = "TLS";

    private BundleTlsMaterial() {
    }

    /**
     * @param bundle     the bundle to serve
     * @param clientAuth {@code server.ssl.client-auth}, or {@code null} for none
     * @return the engine's view of the bundle
     * @throws IllegalStateException when the bundle's stores cannot be used (Boot's message)
     */
    public static TlsMaterial from(SslBundle bundle, Ssl.ClientAuth clientAuth) {
        ClientAuth auth = Ssl.ClientAuth.map(clientAuth, ClientAuth.NONE, ClientAuth.WANT, ClientAuth.NEED);
        KeyManagerFactory keyManagers = bundle.getManagers().getKeyManagerFactory();
        KeyStore trustStore = bundle.getStores().getTrustStore();
        // Without a trust store, client certificates are checked against the JDK's default trust (Tomcat does the same).
        TrustManagerFactory trustManagers = auth != ClientAuth.NONE || trustStore != null
                ? bundle.getManagers().getTrustManagerFactory() : null;
        SslOptions options = bundle.getOptions();
        return new TlsMaterial(keyManagers, trustManagers, auth, protocols(bundle), list(options.getCiphers()),
                servedChain(bundle.getStores().getKeyStore(), bundle.getKey().getAlias()));
    }

    /**
     * The enabled protocols: the options' list; else a specific {@code protocol} of the bundle
     * ({@code TLSv1.3}) alone; else none, for the provider's defaults.
     */
    private static List<String> protocols(SslBundle bundle) {
        List<String> enabled = list(bundle.getOptions().getEnabledProtocols());
        String protocol = bundle.getProtocol();
        if (enabled.isEmpty() && protocol != null && !protocol.isBlank() && !ANY_TLS.equalsIgnoreCase(protocol)) {
            return List.of(protocol);
        }
        return enabled;
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : List.of(values);
    }

    /**
     * The chain of {@code alias}, or of the store's only key entry, leaf first. Empty when there is
     * no key store, no key entry, or several key entries and no alias: the engine then lists what
     * the key managers hold, since any of those keys may be served.
     */
    static List<X509Certificate> servedChain(KeyStore keyStore, String alias) {
        if (keyStore == null) {
            return List.of();
        }
        try {
            String entry = alias;
            if (entry == null) {
                for (String candidate : Collections.list(keyStore.aliases())) {
                    if (keyStore.isKeyEntry(candidate)) {
                        if (entry != null) {
                            return List.of();
                        }
                        entry = candidate;
                    }
                }
            }
            Certificate[] chain = entry == null ? null : keyStore.getCertificateChain(entry);
            if (chain == null) {
                return List.of();
            }
            List<X509Certificate> certificates = new ArrayList<>(chain.length);
            for (Certificate certificate : chain) {
                if (certificate instanceof X509Certificate x509) {
                    certificates.add(x509);
                }
            }
            return certificates;
        } catch (KeyStoreException e) {
            throw new IllegalStateException("Could not read the certificate chain of the key store: " + e.getMessage(), e);
        }
    }
}
