package dev.saker.server.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientKeyTest {

    private static ClientKey key(String literal, int prefix) throws Exception {
        return ClientKey.of(InetAddress.getByName(literal), prefix);
    }

    @Test
    void addressesInOneSlash64AreOneClient() throws Exception {
        assertThat(key("2001:db8:1:2::a", 64)).isEqualTo(key("2001:db8:1:2:ffff:ffff:ffff:ffff", 64))
                .hasSameHashCodeAs(key("2001:db8:1:2:ffff:ffff:ffff:ffff", 64));
        assertThat(key("2001:db8:1:2::a", 64)).isNotEqualTo(key("2001:db8:1:3::a", 64));
    }

    @Test
    void prefix128KeysEachAddressOnItsOwn() throws Exception {
        assertThat(key("2001:db8:1:2::a", 128)).isNotEqualTo(key("2001:db8:1:2::b", 128));
        assertThat(key("2001:db8:1:2::a", 128)).isEqualTo(key("2001:db8:1:2::a", 128));
    }

    @Test
    void prefixesOffTheByteAndWordBoundaries() throws Exception {
        assertThat(key("2001:db8:1:20::", 60)).isEqualTo(key("2001:db8:1:2f:1::", 60));
        assertThat(key("2001:db8:1:20::", 60)).isNotEqualTo(key("2001:db8:1:30::", 60));
        assertThat(key("2001:db8::1:0", 100)).isEqualTo(key("2001:db8::fff:ffff", 100));
        assertThat(key("2001:db8::1:0", 100)).isNotEqualTo(key("2001:db8::1000:0", 100));
        assertThat(key("2001:db8::", 1)).isEqualTo(key("::1", 1));
        assertThat(key("2001:db8::", 1)).isNotEqualTo(key("8000::", 1));
    }

    @Test
    void ipv4IsPerAddressWhateverThePrefix() throws Exception {
        assertThat(key("203.0.113.5", 1)).isNotEqualTo(key("203.0.113.6", 1));
        assertThat(key("203.0.113.5", 1)).isEqualTo(key("203.0.113.5", 64));
    }

    @Test
    void anIpv4MappedAddressIsTheIpv4Client() throws Exception {
        // The JDK turns the literal into an Inet4Address already...
        assertThat(InetAddress.getByName("::ffff:203.0.113.5")).isInstanceOf(Inet4Address.class);
        // ...but an Inet6Address can still hold the mapped form.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 203;
        mapped[14] = 113;
        mapped[15] = 5;
        Inet6Address v6 = Inet6Address.getByAddress(null, mapped, -1);
        for (int prefix : new int[] {1, 64, 96, 128}) {
            assertThat(ClientKey.of(v6, prefix)).as("/%d", prefix).isEqualTo(key("203.0.113.5", 64));
        }
        assertThat(ClientKey.of(v6, 64)).isNotEqualTo(key("203.0.113.6", 64));
    }

    @Test
    void aMaskedIpv6AddressNeverMeetsAnIpv4One() throws Exception {
        assertThat(key("::203.0.113.5", 128)).isNotEqualTo(key("203.0.113.5", 64));
        assertThat(key("::", 64)).isNotEqualTo(key("0.0.0.0", 64));
    }

    @Test
    void thePrefixLengthIsValidated() {
        assertThat(AdmissionConfig.builder().build().perClientIpv6PrefixLength()).isEqualTo(64);
        assertThat(AdmissionConfig.builder().perClientIpv6PrefixLength(128).build().perClientIpv6PrefixLength()).isEqualTo(128);
        assertThat(AdmissionConfig.builder().perClientIpv6PrefixLength(48).build().toBuilder().build()
                .perClientIpv6PrefixLength()).isEqualTo(48);
        assertThatThrownBy(() -> AdmissionConfig.builder().perClientIpv6PrefixLength(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perClientIpv6PrefixLength");
        assertThatThrownBy(() -> AdmissionConfig.builder().perClientIpv6PrefixLength(129))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
