package dev.saker.servlet.request;

import dev.saker.servlet.attributes.AttributeMap;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The request attributes of a request that came over TLS (Servlet 6.1, section 3.10), with the
 * values Tomcat gives them. Added to a request only when one of their names is asked for (or the
 * attribute names are listed), without listener events (they are the container's, as in Tomcat);
 * the values are worked out once per TLS session and kept in it, so the requests of a connection
 * (and an application that reads the client certificate on every request) share them.
 */
final class TlsAttributes {

    /** The client's certificate chain ({@code X509Certificate[]}), when the client sent one. */
    static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";
    /** The negotiated cipher suite's name ({@code String}). */
    static final String CIPHER_SUITE = "jakarta.servlet.request.cipher_suite";
    /** The bits of the cipher's key ({@code Integer}), when the cipher suite is a known one. */
    static final String KEY_SIZE = "jakarta.servlet.request.key_size";
    /** The TLS session id, lower-case hex ({@code String}), when the session has one. */
    static final String SESSION_ID = "jakarta.servlet.request.ssl_session_id";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TlsAttributes() {
    }

    /** Where a TLS session keeps the values worked out for it. */
    private static final String VALUES = "dev.saker.servlet.tls-attributes";

    /** @return whether {@code name} is one of the TLS attributes (cheap: most names differ at once) */
    static boolean isTlsAttribute(String name) {
        return name != null && name.startsWith("jakarta.servlet.request.")
                && (name.equals(CERTIFICATES) || name.equals(CIPHER_SUITE) || name.equals(KEY_SIZE)
                        || name.equals(SESSION_ID));
    }

    static void addTo(SSLSession session, AttributeMap attributes) {
        Values values = values(session);
        if (values.chain != null) {
            // A copy per request: the application may change the array it is given.
            attributes.putQuietly(CERTIFICATES, values.chain.clone());
        }
        attributes.putQuietly(CIPHER_SUITE, values.cipherSuite);
        if (values.keySize != null) {
            attributes.putQuietly(KEY_SIZE, values.keySize);
        }
        if (values.sessionId != null) {
            attributes.putQuietly(SESSION_ID, values.sessionId);
        }
    }

    private static Values values(SSLSession session) {
        Object kept = session.getValue(VALUES);
        if (kept instanceof Values values) {
            return values;
        }
        String cipherSuite = session.getCipherSuite();
        Values values = new Values(clientChain(session), cipherSuite, keySize(cipherSuite), sessionId(session));
        // A race between two requests of one session only works the same values out twice.
        session.putValue(VALUES, values);
        return values;
    }

    /** The values of one TLS session's attributes ({@code null} where the session has none). */
    private record Values(X509Certificate[] chain, String cipherSuite, Integer keySize, String sessionId) {
    }

    /** @return the session id in lower-case hex, or {@code null} when the session has none (some TLS 1.3 stacks) */
    static String sessionId(SSLSession session) {
        byte[] id = session.getId();
        if (id == null || id.length == 0) {
            return null;
        }
        char[] text = new char[id.length * 2];
        for (int i = 0; i < id.length; i++) {
            text[2 * i] = HEX[(id[i] >> 4) & 0xF];
            text[2 * i + 1] = HEX[id[i] & 0xF];
        }
        return new String(text);
    }

    /** Where a TLS session without an id of its own keeps the id SSL session tracking gave it. */
    private static final String TRACKING_ID = "dev.saker.servlet.ssl-tracking-id";

    /**
     * The id SSL session tracking keys an HTTP session by: the TLS session's id, or, when the TLS
     * stack gives it none (OpenSSL with TLS 1.3, whose sessions live in tickets), a random id kept in
     * the TLS session's own values, so it lasts exactly as long as that TLS session.
     */
    static String trackingId(SSLSession session) {
        String id = sessionId(session);
        if (id != null) {
            return id;
        }
        Object assigned = session.getValue(TRACKING_ID);
        if (assigned == null) {
            // Requests on one connection run one after another: no race on the connection's session.
            assigned = java.util.UUID.randomUUID().toString().replace("-", "");
            session.putValue(TRACKING_ID, assigned);
        }
        return (String) assigned;
    }

    private static X509Certificate[] clientChain(SSLSession session) {
        Certificate[] peer;
        try {
            peer = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            return null;
        }
        if (peer == null || peer.length == 0) {
            return null;
        }
        X509Certificate[] chain = new X509Certificate[peer.length];
        for (int i = 0; i < peer.length; i++) {
            if (!(peer[i] instanceof X509Certificate x509)) {
                return null;
            }
            chain[i] = x509;
        }
        return chain;
    }

    /**
     * The strength in bits of the cipher suite's bulk cipher, as Tomcat reports it (OpenSSL's
     * strength bits: 3DES counts 112, ChaCha20 256); {@code null} for a suite it cannot place.
     */
    static Integer keySize(String cipherSuite) {
        if (cipherSuite == null) {
            return null;
        }
        int with = cipherSuite.indexOf("_WITH_");
        // TLS 1.3 suites name no key exchange: TLS_AES_128_GCM_SHA256.
        String cipher = with >= 0 ? cipherSuite.substring(with + 6) : cipherSuite.substring(cipherSuite.indexOf('_') + 1);
        if (cipher.startsWith("AES_256") || cipher.startsWith("CHACHA20") || cipher.startsWith("CAMELLIA_256")
                || cipher.startsWith("ARIA_256")) {
            return 256;
        }
        if (cipher.startsWith("AES_128") || cipher.startsWith("CAMELLIA_128") || cipher.startsWith("ARIA_128")
                || cipher.startsWith("RC4_128") || cipher.startsWith("IDEA") || cipher.startsWith("SEED")) {
            return 128;
        }
        if (cipher.startsWith("3DES_EDE")) {
            return 112;
        }
        if (cipher.startsWith("DES40") || cipher.startsWith("RC4_40") || cipher.startsWith("RC2_CBC_40")) {
            return 40;
        }
        if (cipher.startsWith("DES_CBC")) {
            return 56;
        }
        if (cipher.startsWith("NULL")) {
            return 0;
        }
        return null;
    }
}
