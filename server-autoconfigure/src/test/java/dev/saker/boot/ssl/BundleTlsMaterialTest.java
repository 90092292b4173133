package dev.saker.boot.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.saker.server.tls.ClientAuth;
import dev.saker.server.tls.TlsMaterial;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.web.server.Ssl;

/** How one of Boot's bundles becomes the engine's material (fixtures: {@code src/test/resources/tls}). */
class BundleTlsMaterialTest {

    private static final JksSslStoreDetails TWO_KEYS = JksSslStoreDetails.forLocation("classpath:tls/test.jks")
            .withPassword("secret");

    @Test
    void theServedChainIsThatOfTheAliasOrOfTheOnlyKey() {
        TlsMaterial aliased = BundleTlsMaterial.from(SslBundle.of(new JksSslStoreBundle(TWO_KEYS, null),
                SslBundleKey.of("password", "test-alias")), null);
        assertThat(aliased.certificates()).extracting(BundleTlsMaterialTest::subject).containsExactly("CN=test-alias");
        TlsMaterial unaliased = BundleTlsMaterial.from(SslBundle.of(new JksSslStoreBundle(TWO_KEYS, null),
                SslBundleKey.of("password")), null);
        assertThat(unaliased.certificates()).as("either key may be served: the engine lists the key managers' chains").isEmpty();
        TlsMaterial pem = BundleTlsMaterial.from(SslBundle.of(new PemSslStoreBundle(PemSslStoreDetails
                .forCertificate("classpath:tls/alpha-cert.pem").withPrivateKey("classpath:tls/alpha-key.pem"), null)), null);
        assertThat(pem.certificates()).extracting(BundleTlsMaterialTest::subject).containsExactly("CN=alpha.example");
    }

    @Test
    void clientAuthProtocolsAndCiphersComeFromSslAndTheBundleOptions() {
        SslBundle bundle = SslBundle.of(new JksSslStoreBundle(TWO_KEYS, TWO_KEYS), SslBundleKey.of("password"),
                SslOptions.of(new String[] {"TLS_AES_128_GCM_SHA256"}, new String[] {"TLSv1.3"}));
        TlsMaterial material = BundleTlsMaterial.from(bundle, Ssl.ClientAuth.NEED);
        assertThat(material.clientAuth()).isEqualTo(ClientAuth.NEED);
        assertThat(material.trustManagers()).isNotNull();
        assertThat(material.protocols()).containsExactly("TLSv1.3");
        assertThat(material.ciphers()).containsExactly("TLS_AES_128_GCM_SHA256");
        assertThat(BundleTlsMaterial.from(bundle, null).clientAuth()).isEqualTo(ClientAuth.NONE);
    }

    @Test
    void noTrustStoreAndNoClientAuthMeansNoTrustManagers() {
        TlsMaterial material = BundleTlsMaterial.from(SslBundle.of(new JksSslStoreBundle(TWO_KEYS, null),
                SslBundleKey.of("password")), Ssl.ClientAuth.NONE);
        assertThat(material.trustManagers()).isNull();
        assertThat(BundleTlsMaterial.from(SslBundle.of(new JksSslStoreBundle(TWO_KEYS, null), SslBundleKey.of("password")),
                Ssl.ClientAuth.WANT).trustManagers()).as("the JDK's default trust, as on Tomcat").isNotNull();
    }

    @Test
    void aSpecificProtocolWithoutEnabledProtocolsEnablesThatVersionAlone() {
        SslBundle tls12 = SslBundle.of(new JksSslStoreBundle(TWO_KEYS, null), SslBundleKey.of("password"), SslOptions.NONE,
                "TLSv1.2");
        assertThat(BundleTlsMaterial.from(tls12, null).protocols()).containsExactly("TLSv1.2");
        SslBundle any = SslBundle.of(new JksSslStoreBundle(TWO_KEYS, null), SslBundleKey.of("password"), SslOptions.NONE, "TLS");
        assertThat(BundleTlsMaterial.from(any, null).protocols()).isEmpty();
    }

    @Test
    void anAbsentAliasFailsWithBootsMessage() {
        SslBundle bundle = SslBundle.of(new JksSslStoreBundle(TWO_KEYS, null), SslBundleKey.of("password", "nope"));
        assertThatIllegalStateException().isThrownBy(() -> BundleTlsMaterial.from(bundle, null))
                .withMessageContaining("Keystore does not contain alias 'nope'");
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
