package dev.saker.servlet.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.servlet.attributes.AttributeListener;
import dev.saker.servlet.attributes.AttributeMap;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** The key size attribute gives the bulk cipher's strength in bits, as Tomcat does; values per TLS session. */
class TlsAttributesTest {

    private static final AttributeListener SILENT = new AttributeListener() {
        @Override
        public void added(Object owner, String name, Object value) {
        }

        @Override
        public void replaced(Object owner, String name, Object oldValue) {
        }

        @Override
        public void removed(Object owner, String name, Object oldValue) {
        }
    };

    @Test
    void onlyTheFourTlsNamesAddTheTlsAttributes() {
        assertThat(TlsAttributes.isTlsAttribute("jakarta.servlet.request.X509Certificate")).isTrue();
        assertThat(TlsAttributes.isTlsAttribute("jakarta.servlet.request.cipher_suite")).isTrue();
        assertThat(TlsAttributes.isTlsAttribute("jakarta.servlet.request.key_size")).isTrue();
        assertThat(TlsAttributes.isTlsAttribute("jakarta.servlet.request.ssl_session_id")).isTrue();
        assertThat(TlsAttributes.isTlsAttribute("jakarta.servlet.request.encoding")).isFalse();
        assertThat(TlsAttributes.isTlsAttribute("org.springframework.web.servlet.DispatcherServlet.CONTEXT")).isFalse();
        assertThat(TlsAttributes.isTlsAttribute(null)).isFalse();
    }

    @Test
    void theValuesAreWorkedOutOncePerTlsSession() {
        // A session without a client certificate: the lookup throws, which must not happen per request.
        AtomicInteger peerLookups = new AtomicInteger();
        Map<String, Object> values = new HashMap<>();
        SSLSession session = (SSLSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SSLSession.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getPeerCertificates":
                            peerLookups.incrementAndGet();
                            throw new SSLPeerUnverifiedException("no client certificate");
                        case "getCipherSuite":
                            return "TLS_AES_128_GCM_SHA256";
                        case "getId":
                            return new byte[] {0x0a, (byte) 0xff};
                        case "getValue":
                            return values.get((String) args[0]);
                        case "putValue":
                            values.put((String) args[0], args[1]);
                            return null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        for (int request = 0; request < 3; request++) {
            AttributeMap attributes = new AttributeMap(new HashMap<>(), this, SILENT, null);
            TlsAttributes.addTo(session, attributes);
            assertThat(attributes.get(TlsAttributes.CIPHER_SUITE)).isEqualTo("TLS_AES_128_GCM_SHA256");
            assertThat(attributes.get(TlsAttributes.KEY_SIZE)).isEqualTo(128);
            assertThat(attributes.get(TlsAttributes.SESSION_ID)).isEqualTo("0aff");
            assertThat(attributes.get(TlsAttributes.CERTIFICATES)).isNull();
        }
        assertThat(peerLookups).hasValue(1);
    }

    @Test
    void keySizeFollowsTheBulkCipher() {
        assertThat(TlsAttributes.keySize("TLS_AES_128_GCM_SHA256")).isEqualTo(128);
        assertThat(TlsAttributes.keySize("TLS_AES_256_GCM_SHA384")).isEqualTo(256);
        assertThat(TlsAttributes.keySize("TLS_CHACHA20_POLY1305_SHA256")).isEqualTo(256);
        assertThat(TlsAttributes.keySize("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).isEqualTo(128);
        assertThat(TlsAttributes.keySize("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384")).isEqualTo(256);
        assertThat(TlsAttributes.keySize("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")).isEqualTo(256);
        assertThat(TlsAttributes.keySize("SSL_RSA_WITH_3DES_EDE_CBC_SHA")).isEqualTo(112);
        assertThat(TlsAttributes.keySize("TLS_RSA_WITH_CAMELLIA_128_CBC_SHA")).isEqualTo(128);
        assertThat(TlsAttributes.keySize("SSL_RSA_WITH_DES_CBC_SHA")).isEqualTo(56);
        assertThat(TlsAttributes.keySize("TLS_RSA_WITH_NULL_SHA256")).isZero();
        assertThat(TlsAttributes.keySize("TLS_EMPTY_RENEGOTIATION_INFO_SCSV")).isNull();
        assertThat(TlsAttributes.keySize(null)).isNull();
    }
}
