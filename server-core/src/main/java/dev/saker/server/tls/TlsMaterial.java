package dev.saker.server.tls;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the server presents and accepts for one certificate (the default one, or one server name):
 * key and trust managers, client authentication, protocols and cipher suites.
 *
 * @param keyManagers the server's key and certificate chain (already narrowed to one key alias, if
 *        the configuration names one)
 * @param trustManagers trust for client certificates, or {@code null} when none are checked
 * @param clientAuth whether client certificates are asked for
 * @param protocols enabled protocol versions ({@code TLSv1.3}, ...); empty for the provider's defaults
 * @param ciphers enabled cipher suites; empty for the provider's defaults
 * @param certificates the served certificates, leaf first (for the expiry gauge); may be empty
 */
public record TlsMaterial(KeyManagerFactory keyManagers, TrustManagerFactory trustManagers, ClientAuth clientAuth,
        List<String> protocols, List<String> ciphers, List<X509Certificate> certificates) {

    public TlsMaterial {
        Objects.requireNonNull(keyManagers, "keyManagers");
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (clientAuth != ClientAuth.NONE && trustManagers == null) {
            throw new IllegalArgumentException("client authentication " + clientAuth + " needs trust managers");
        }
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        certificates = List.copyOf(certificates);
    }

    /** Material with only a key: no client authentication, provider default protocols and ciphers. */
    public static TlsMaterial of(KeyManagerFactory keyManagers) {
        return new TlsMaterial(keyManagers, null, ClientAuth.NONE, List.of(), List.of(), List.of());
    }
}
