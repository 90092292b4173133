package dev.saker.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsStatsTest {

    private final ServerStats stats = new ServerStats();
    private final TlsStats tls = stats.tls();

    @Test
    void handshakesAreCountedAndTimedByProtocol() {
        tls.handshakeSucceeded("TLSv1.3", 3_000);
        tls.handshakeSucceeded("TLSv1.3", 5_000);
        tls.handshakeSucceeded("TLSv1.2", 7_000);
        tls.handshakeFailed(HandshakeFailure.TIMEOUT);
        tls.handshakeFailed(HandshakeFailure.NOT_TLS);
        tls.handshakeFailed(HandshakeFailure.NOT_TLS);
        assertThat(tls.handshakesSucceeded("TLSv1.3")).isEqualTo(new TlsStats.HandshakeTiming(2, 8_000, 5_000));
        assertThat(tls.handshakesSucceeded("TLSv1.2")).isEqualTo(new TlsStats.HandshakeTiming(1, 7_000, 7_000));
        assertThat(tls.handshakesSucceeded("TLSv1.1")).isEqualTo(new TlsStats.HandshakeTiming(0, 0, 0));
        assertThat(tls.handshakesSucceeded().keySet()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(tls.handshakesSucceededTotal()).isEqualTo(3);
        assertThat(tls.handshakesFailed(HandshakeFailure.NOT_TLS)).isEqualTo(2);
        assertThat(tls.handshakesFailedTotal()).isEqualTo(3);
        assertThat(HandshakeFailure.CLIENT_HELLO_TOO_LARGE.tag()).isEqualTo("client_hello_too_large");
    }

    @Test
    void certificateListenersHearTheCurrentListAndEveryChange() {
        ServedCertificate first = new ServedCertificate("default", "CN=a", BigInteger.ONE, Instant.parse("2100-01-01T00:00:00Z"));
        ServedCertificate second = new ServedCertificate("x.example", "CN=b", BigInteger.TWO, Instant.parse("2101-01-01T00:00:00Z"));
        tls.certificates(List.of(first));
        List<List<ServedCertificate>> heard = new ArrayList<>();
        tls.onCertificatesChanged(heard::add);
        tls.certificates(List.of(first, second));
        assertThat(heard).containsExactly(List.of(first), List.of(first, second));
        assertThat(tls.certificates()).containsExactly(first, second);
    }
}
