package dev.saker.server.tls;

import dev.saker.server.observe.ServedCertificate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The contexts a TLS listener serves at one time: the default one and one per SNI server name.
 * Immutable: a reload builds a new set and swaps it in whole.
 */
final class TlsContexts {

    private final SslContext defaultContext;
    private final Map<String, SslContext> byName;
    private final List<ServedCertificate> served;

    private TlsContexts(SslContext defaultContext, Map<String, SslContext> byName, List<ServedCertificate> served) {
        this.defaultContext = defaultContext;
        this.byName = byName;
        this.served = served;
    }

    /**
     * Builds every context before returning, so a refused one fails the whole set.
     *
     * @throws TlsSetupException naming the server name whose material was refused
     */
    static TlsContexts build(TlsMaterial defaultMaterial, Map<String, TlsMaterial> serverNames, SslProvider provider,
            List<String> alpnIds) {
        List<ServedCertificate> served = new ArrayList<>();
        SslContext defaultContext = SslContexts.build(defaultMaterial, provider, alpnIds, "the default certificate");
        describe(ServedCertificate.DEFAULT_SERVER_NAME, defaultMaterial, served);
        Map<String, SslContext> byName = new HashMap<>();
        for (Map.Entry<String, TlsMaterial> entry : serverNames.entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            byName.put(name, SslContexts.build(entry.getValue(), provider, alpnIds, "server name " + name));
            describe(name, entry.getValue(), served);
        }
        return new TlsContexts(defaultContext, Map.copyOf(byName), List.copyOf(served));
    }

    /**
     * @param serverName the SNI name the client sent (any case), or {@code null}
     * @return the context of that exact name, or the default one
     */
    SslContext forServerName(String serverName) {
        if (serverName == null || byName.isEmpty()) {
            return defaultContext;
        }
        SslContext context = byName.get(serverName.toLowerCase(Locale.ROOT));
        return context == null ? defaultContext : context;
    }

    List<ServedCertificate> served() {
        return served;
    }

    private static void describe(String serverName, TlsMaterial material, List<ServedCertificate> into) {
        for (X509Certificate certificate : ServedCertificates.of(material)) {
            into.add(new ServedCertificate(serverName, certificate.getSubjectX500Principal().getName(),
                    certificate.getSerialNumber(), certificate.getNotAfter().toInstant()));
        }
    }
}
