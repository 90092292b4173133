package dev.saker.server.forwarded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private final TrustedProxies proxies = TrustedProxies.cidrs(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

    private static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }

    @Test
    void cidrBlocksAndSingleAddressesMatch() {
        assertThat(proxies.contains(ip("10.200.3.4"))).isTrue();
        assertThat(proxies.contains(ip("11.0.0.1"))).isFalse();
        assertThat(proxies.contains(ip("192.168.1.7"))).isTrue();
        assertThat(proxies.contains(ip("192.168.1.8"))).isFalse();
        assertThat(proxies.contains(ip("fd12::1"))).isTrue();
        assertThat(proxies.contains(ip("2001:db8::1"))).isFalse();
        assertThat(TrustedProxies.cidrs(List.of("172.16.0.0/12")).contains(ip("172.31.255.255"))).isTrue();
        assertThat(TrustedProxies.cidrs(List.of("172.16.0.0/12")).contains(ip("172.32.0.0"))).isFalse();
        assertThat(TrustedProxies.cidrs(List.of()).isEmpty()).isTrue();
    }

    @Test
    void cidrBlocksTakeTextualAddressesAndNeverANameOrIdentifier() {
        assertThat(proxies.contains("10.1.2.3")).isTrue();
        assertThat(proxies.contains("fd00:0:0:0:0:0:0:5")).isTrue();
        assertThat(proxies.contains("203.0.113.9")).isFalse();
        assertThat(proxies.contains("localhost")).isFalse();
        assertThat(proxies.contains("_hidden")).isFalse();
    }

    @Test
    void namesAndBadBlocksAreRefusedUpFront() {
        assertThatThrownBy(() -> TrustedProxies.cidrs(List.of("proxy.example.com"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedProxies.cidrs(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedProxies.cidrs(List.of("10.0.0.0/x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPatternMatchesTheWholeTextualAddress() throws Exception {
        TrustedProxies pattern = TrustedProxies.matching("10\\..*");
        assertThat(pattern.contains("10.0.0.1")).isTrue();
        assertThat(pattern.contains("110.0.0.1")).isFalse();
        assertThat(pattern.contains(InetAddress.getByAddress(new byte[] {10, 9, 8, 7}))).isTrue();
        assertThat(pattern.isEmpty()).isFalse();
    }

    @Test
    void theDefaultPatternIsTomcatsInternalProxies() {
        TrustedProxies trusted = TrustedProxies.matching(TrustedProxies.DEFAULT_PATTERN);
        for (String inside : List.of("10.1.2.3", "192.168.0.1", "169.254.1.1", "127.0.0.1", "100.64.0.1", "100.127.255.1",
                "172.16.0.1", "172.31.0.1", "0:0:0:0:0:0:0:1", "::1", "fc00:0:0:0:0:0:0:1", "fe80:0:0:0:1c2b:3cff:fe4d:5e6f%eth0")) {
            assertThat(trusted.contains(inside)).as(inside).isTrue();
        }
        for (String outside : List.of("8.8.8.8", "100.63.0.1", "100.128.0.1", "172.32.0.1", "2001:db8:0:0:0:0:0:1",
                "fec0:0:0:0:0:0:0:1", "fb00:0:0:0:0:0:0:1")) {
            assertThat(trusted.contains(outside)).as(outside).isFalse();
        }
    }
}
