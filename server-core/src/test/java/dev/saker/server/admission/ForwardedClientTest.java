package dev.saker.server.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.forwarded.IpLiterals;
import dev.saker.server.forwarded.TrustedProxies;
import dev.saker.server.http.MutableHeaders;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedClientTest {

    private final TrustedProxies proxies = TrustedProxies.cidrs(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

    private static MutableHeaders headers(String name, String... lines) {
        MutableHeaders headers = new MutableHeaders();
        for (String line : lines) {
            headers.add(name, line);
        }
        return headers;
    }

    private static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }

    @Test
    void badBlocksAreRefusedWhenConfigured() {
        assertThatThrownBy(() -> AdmissionConfig.builder().trustedProxies(List.of("10.0.0.0/x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRightMostUntrustedEntryIsTheClient() {
        ForwardedClient xff = new ForwardedClient(proxies, false);
        assertThat(xff.clientOf(headers("X-Forwarded-For", "1.1.1.1, 203.0.113.5, 10.0.0.2"))).isEqualTo(ip("203.0.113.5"));
        assertThat(xff.clientOf(headers("X-Forwarded-For", "1.1.1.1", "203.0.113.5:4711, 10.0.0.2"))).isEqualTo(ip("203.0.113.5"));
        assertThat(xff.clientOf(headers("X-Forwarded-For", "10.0.0.3, 10.0.0.2"))).as("all trusted: the first").isEqualTo(ip("10.0.0.3"));
        assertThat(xff.clientOf(headers("X-Forwarded-For", "1.1.1.1, unknown, 10.0.0.2"))).isNull();
        assertThat(xff.clientOf(new MutableHeaders())).isNull();
    }

    @Test
    void forwardedForParametersAreReadQuotedOrNot() {
        ForwardedClient fwd = new ForwardedClient(proxies, true);
        assertThat(fwd.clientOf(headers("Forwarded", "for=1.1.1.1, for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.2")))
                .isEqualTo(ip("2001:db8::1"));
        assertThat(fwd.clientOf(headers("Forwarded", "proto=http;For=198.51.100.17"))).isEqualTo(ip("198.51.100.17"));
        assertThat(fwd.clientOf(headers("Forwarded", "for=_hidden"))).isNull();
    }
}
