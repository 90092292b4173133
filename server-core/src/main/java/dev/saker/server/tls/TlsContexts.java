package dev.saker.server.tls;

import dev.saker.server.observe.ServedCertificate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contexts a TLS listener serves at one time: the default one and one per SNI server name.
 * Immutable: a reload builds a new set and swaps it in whole.
 *
 * <p>OpenSSL contexts hold native memory (the BoringSSL context, its session cache and the key
 * material cached per alias), released when their reference count reaches zero. The set owns one
 * reference to each; each engine made from a context holds one more, given back when its
 * {@code SslHandler} leaves the pipeline (the connection closes). The set itself is counted too:
 * its owner (the listener) holds one use, and a handshake choosing a context holds one from its
 * lookup until its engine exists ({@link #tryAcquire}), so a reload cannot free a context between
 * the two. The last {@link #release} releases every context. JDK contexts hold no native memory:
 * releasing them does nothing.
 */
final class TlsContexts {

    private final SslContext defaultContext;
    private final Map<String, SslContext> byName;
    private final List<ServedCertificate> served;
    /** The owner's use plus the lookups under way; zero once released, and never counted up again. */
    private final AtomicInteger uses = new AtomicInteger(1);

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
        List<SslContext> built = new ArrayList<>();
        try {
            SslContext defaultContext = SslContexts.build(defaultMaterial, provider, alpnIds, "the default certificate");
            built.add(defaultContext);
            describe(ServedCertificate.DEFAULT_SERVER_NAME, defaultMaterial, served);
            Map<String, SslContext> byName = new HashMap<>();
            for (Map.Entry<String, TlsMaterial> entry : serverNames.entrySet()) {
                String name = entry.getKey().toLowerCase(Locale.ROOT);
                SslContext context = SslContexts.build(entry.getValue(), provider, alpnIds, "server name " + name);
                built.add(context);
                byName.put(name, context);
                describe(name, entry.getValue(), served);
            }
            return new TlsContexts(defaultContext, Map.copyOf(byName), List.copyOf(served));
        } catch (RuntimeException | Error e) {
            // A refused certificate fails the set: the contexts built before it are nobody's.
            for (SslContext context : built) {
                ReferenceCountUtil.release(context);
            }
            throw e;
        }
    }

    /**
     * Takes a use of this set for one lookup, unless the set was already released (a reload or
     * stop got there first; the caller then reads the current set again).
     *
     * @return whether the use was taken: the caller must then {@link #release} it
     */
    boolean tryAcquire() {
        for (;;) {
            int current = uses.get();
            if (current == 0) {
                return false;
            }
            if (uses.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back one use; the last one releases every context (engines still open keep theirs alive). */
    void release() {
        int left = uses.decrementAndGet();
        if (left == 0) {
            ReferenceCountUtil.release(defaultContext);
            for (SslContext context : byName.values()) {
                ReferenceCountUtil.release(context);
            }
        } else if (left < 0) {
            throw new IllegalStateException("TLS contexts released more often than acquired");
        }
    }

    /** @return every context of the set, the default one first (for tests checking their release) */
    List<SslContext> all() {
        List<SslContext> all = new ArrayList<>(byName.size() + 1);
        all.add(defaultContext);
        all.addAll(byName.values());
        return all;
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
