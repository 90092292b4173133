package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.testing.TestTls;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsConfigTest {

    private final TlsMaterial server = TestTls.material("server");
    private final TlsMaterial alt = TestTls.material("alt");

    @Test
    void defaults() {
        TlsConfig config = TlsConfig.builder(server).build();
        assertThat(config.provider()).isEqualTo(TlsProvider.AUTO);
        assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxClientHelloSize()).isEqualTo(16 * 1024);
        assertThat(config.serverNames()).isEmpty();
    }

    @Test
    void serverNamesAreKeptInLowerCase() {
        assertThat(TlsConfig.builder(server).serverName("API.Example.COM", alt).build().serverNames())
                .containsOnlyKeys("api.example.com");
    }

    @Test
    void boundsAreChecked() {
        assertThatThrownBy(() -> TlsConfig.builder(server).maxClientHelloSize(255))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxClientHelloSize");
        assertThatThrownBy(() -> TlsConfig.builder(server).maxClientHelloSize(0x1000000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsConfig.builder(server).handshakeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("handshakeTimeout");
        assertThatThrownBy(() -> new TlsMaterial(TestTls.keyManagers("server"), null, ClientAuth.NEED,
                java.util.List.of(), java.util.List.of(), java.util.List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trust");
    }

    @Test
    void withMaterialReplacesTheCertificatesAndKeepsTheRest() {
        TlsConfig config = TlsConfig.builder(server).serverName("old.example", server).provider(TlsProvider.JDK)
                .handshakeTimeout(Duration.ofSeconds(3)).maxClientHelloSize(4096).build();
        TlsConfig reloaded = config.withMaterial(alt, Map.of("New.Example", server));
        assertThat(reloaded.defaultMaterial()).isSameAs(alt);
        assertThat(reloaded.serverNames()).containsOnlyKeys("new.example");
        assertThat(reloaded.provider()).isEqualTo(TlsProvider.JDK);
        assertThat(reloaded.handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(reloaded.maxClientHelloSize()).isEqualTo(4096);
    }
}
