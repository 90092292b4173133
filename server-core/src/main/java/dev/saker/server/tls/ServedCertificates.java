package dev.saker.server.tls;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The certificates a {@link TlsMaterial} presents: the ones it lists, or else the chains its key
 * managers hold (so the expiry gauge works when the configuration did not list them).
 */
final class ServedCertificates {

    private static final String[] KEY_TYPES = {"RSA", "EC", "RSASSA-PSS", "EdDSA", "Ed25519", "Ed448", "DSA"};

    private ServedCertificates() {
    }

    static List<X509Certificate> of(TlsMaterial material) {
        if (!material.certificates().isEmpty()) {
            return material.certificates();
        }
        Map<String, X509Certificate> found = new LinkedHashMap<>();
        for (KeyManager manager : material.keyManagers().getKeyManagers()) {
            if (manager instanceof X509KeyManager) {
                collect((X509KeyManager) manager, found);
            }
        }
        return new ArrayList<>(found.values());
    }

    private static void collect(X509KeyManager manager, Map<String, X509Certificate> into) {
        for (String keyType : KEY_TYPES) {
            String[] aliases = manager.getServerAliases(keyType, null);
            if (aliases == null) {
                continue;
            }
            for (String alias : aliases) {
                X509Certificate[] chain = manager.getCertificateChain(alias);
                if (chain != null) {
                    for (X509Certificate certificate : chain) {
                        into.putIfAbsent(certificate.getSerialNumber() + "/" + certificate.getIssuerX500Principal(), certificate);
                    }
                }
            }
        }
    }
}
