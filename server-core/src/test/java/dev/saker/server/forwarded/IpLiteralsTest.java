package dev.saker.server.forwarded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class IpLiteralsTest {

    @Test
    void literalsParseWithOrWithoutAPortAndNamesDoNot() {
        assertThat(IpLiterals.parse("192.0.2.1").getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(IpLiterals.parse("192.0.2.1:4711").getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(IpLiterals.parse("[2001:db8::1]:4711").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(IpLiterals.parse("2001:db8::1").getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(IpLiterals.parse("[2001:db8::1")).isNull();
        assertThat(IpLiterals.parse("localhost")).isNull();
        assertThat(IpLiterals.parse("unknown")).isNull();
    }

    @Test
    void aClientBecomesAnAddressOnlyWhenItIsALiteral() {
        InetSocketAddress v4 = IpLiterals.socketAddress("203.0.113.9", 4711);
        assertThat(v4.isUnresolved()).isFalse();
        assertThat(v4.getAddress().getHostAddress()).isEqualTo("203.0.113.9");
        assertThat(v4.getPort()).isEqualTo(4711);
        assertThat(IpLiterals.socketAddress("2001:db8::1", 1).getAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        for (String notALiteral : new String[] {"_hidden", "unknown", "999.1.1.1", "010.0.0.1", "localhost", "zz::zz"}) {
            InetSocketAddress address = IpLiterals.socketAddress(notALiteral, 1);
            assertThat(address.isUnresolved()).as(notALiteral).isTrue();
            assertThat(address.getHostString()).isEqualTo(notALiteral);
        }
    }
}
