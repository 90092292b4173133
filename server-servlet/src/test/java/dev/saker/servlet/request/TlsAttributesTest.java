package dev.saker.servlet.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The key size attribute gives the bulk cipher's strength in bits, as Tomcat does. */
class TlsAttributesTest {

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
