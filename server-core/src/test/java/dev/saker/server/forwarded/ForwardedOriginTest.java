package dev.saker.server.forwarded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ForwardedOriginTest {

    private static final TrustedProxies TRUSTED = TrustedProxies.matching(TrustedProxies.DEFAULT_PATTERN);

    private static ForwardedFields fields(String... nameValue) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValue.length; i += 2) {
            map.put(nameValue[i], nameValue[i + 1]);
        }
        return map::get;
    }

    private static ForwardedOrigin origin(String... nameValue) {
        return ForwardedOrigin.of(fields(nameValue), TRUSTED, "10.0.0.1", "http", "internal", 8080);
    }

    @Test
    void anyForwardingFieldIsPresence() {
        assertThat(ForwardedOrigin.present(fields())).isFalse();
        assertThat(ForwardedOrigin.present(fields("Via", "1.1 proxy"))).isFalse();
        for (String name : new String[] {"Forwarded", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port"}) {
            assertThat(ForwardedOrigin.present(fields(name, "x"))).as(name).isTrue();
        }
    }

    @Test
    void theClientIsTheRightMostHopThatIsNoTrustedProxy() {
        assertThat(origin("X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.1.2.3").client()).isEqualTo("203.0.113.9");
        assertThat(origin("X-Forwarded-For", "10.0.0.3, 10.0.0.2").client()).as("all trusted: the left-most").isEqualTo("10.0.0.3");
        assertThat(origin("X-Forwarded-For", "203.0.113.9, , 10.1.2.3").client()).as("empty hops are skipped").isEqualTo("203.0.113.9");
        assertThat(origin("X-Forwarded-For", " , ").client()).as("no hop: the peer").isEqualTo("10.0.0.1");
        assertThat(origin("X-Forwarded-Proto", "https").client()).isEqualTo("10.0.0.1");
        assertThat(origin("X-Forwarded-For", "999.1.1.1").client()).as("kept as written").isEqualTo("999.1.1.1");
    }

    @Test
    void forwardedWinsAndItsForNodesLoseQuotesBracketsAndPorts() {
        ForwardedOrigin origin = origin("Forwarded", "for=198.51.100.1, for=\"[2001:db8::1]:4711\";proto=HTTPS;host=api.example, for=10.0.0.2",
                "X-Forwarded-For", "192.0.2.99", "X-Forwarded-Proto", "http");
        assertThat(origin.client()).isEqualTo("2001:db8::1");
        assertThat(origin.scheme()).as("the last element's proto only: it has none").isEqualTo("http");
        assertThat(origin.host()).isEqualTo("internal");
        assertThat(origin.port()).isEqualTo(8080);
        assertThat(origin("Forwarded", "for=192.0.2.60:8080").client()).isEqualTo("192.0.2.60");
        assertThat(origin("Forwarded", "for=unknown;proto=http, For=_hidden").client()).isEqualTo("_hidden");
    }

    @Test
    void theLastForwardedElementGivesSchemeHostAndPort() {
        ForwardedOrigin origin = origin("Forwarded", "for=198.51.100.1;proto=https;host=api.example:8443");
        assertThat(origin).isEqualTo(new ForwardedOrigin("198.51.100.1", "https", "api.example", 8443));
        assertThat(origin.secure()).isTrue();
        assertThat(origin("Forwarded", "proto=https;host=\"api.example\"").port()).as("the scheme's default").isEqualTo(443);
    }

    @Test
    void xForwardedFieldsTakeTheirFirstEntry() {
        ForwardedOrigin origin = origin("X-Forwarded-For", "203.0.113.7, 10.0.0.2", "X-Forwarded-Proto", "HTTPS, http",
                "X-Forwarded-Host", "shop.example, inner");
        assertThat(origin).isEqualTo(new ForwardedOrigin("203.0.113.7", "https", "shop.example", 443));
        assertThat(origin("X-Forwarded-Host", "shop.example:81").port()).isEqualTo(81);
        assertThat(origin("X-Forwarded-Host", "shop.example:81", "X-Forwarded-Port", "82").port())
                .as("X-Forwarded-Port overrides").isEqualTo(82);
        assertThat(origin("X-Forwarded-Proto", "https", "X-Forwarded-Port", "8443").port()).isEqualTo(8443);
        assertThat(origin("X-Forwarded-Proto", "https", "X-Forwarded-Port", "70000").port()).as("out of range: default").isEqualTo(443);
        assertThat(origin("X-Forwarded-Host", "shop.example:x").port()).as("no number: default").isEqualTo(80);
        assertThat(origin("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Port", "0").port())
                .as("neither host nor scheme: the request's port").isEqualTo(8080);
    }

    @Test
    void anIpv6HostKeepsItsBracketsAndItsPortIsFound() {
        ForwardedOrigin origin = origin("X-Forwarded-Host", "[2001:db8::7]:8443");
        assertThat(origin.host()).isEqualTo("[2001:db8::7]");
        assertThat(origin.hostWithoutBrackets()).isEqualTo("2001:db8::7");
        assertThat(origin.port()).isEqualTo(8443);
        assertThat(origin("X-Forwarded-Host", "[2001:db8::7]").host()).isEqualTo("[2001:db8::7]");
        assertThat(origin("X-Forwarded-Host", "[2001:db8::7]").port()).isEqualTo(80);
        assertThat(origin("X-Forwarded-Host", "shop.example").hostWithoutBrackets()).isEqualTo("shop.example");
    }

    @Test
    void aUriTakesAnIpv6HostInBracketsWhetherOrNotTheFieldGaveThem() {
        assertThat(origin("X-Forwarded-Host", "[2001:db8::7]").uriHost()).isEqualTo("[2001:db8::7]");
        assertThat(new ForwardedOrigin("c", "http", "2001:db8::7", 80).uriHost()).isEqualTo("[2001:db8::7]");
        assertThat(origin("X-Forwarded-Host", "shop.example").uriHost()).isEqualTo("shop.example");
    }

    @Test
    void aHostOrSchemeNoUriCanCarryIsFlagged() {
        assertThat(origin("X-Forwarded-Host", "shop.example").fitsUri()).isTrue();
        assertThat(origin("X-Forwarded-Host", "[2001:db8::7]:8443").fitsUri()).isTrue();
        assertThat(origin("X-Forwarded-Host", "caf%C3%A9.example").fitsUri()).as("percent-encoded").isTrue();
        assertThat(origin("X-Forwarded-Host", "a_b~c!$&'()*+,;=").fitsUri()).as("reg-name characters").isTrue();
        assertThat(origin("X-Forwarded-Proto", "coap+tcp").fitsUri()).isTrue();
        assertThat(origin("X-Forwarded-Host", "bad host").fitsUri()).isFalse();
        assertThat(origin("X-Forwarded-Host", "bad/host").fitsUri()).isFalse();
        assertThat(origin("X-Forwarded-Host", "host%4").fitsUri()).as("truncated encoding").isFalse();
        assertThat(origin("X-Forwarded-Host", "host%zz").fitsUri()).isFalse();
        assertThat(origin("X-Forwarded-Host", "caf\u00e9.example").fitsUri()).as("not ASCII").isFalse();
        assertThat(origin("X-Forwarded-Host", "[fe80::1%eth0]").fitsUri()).as("a zone id must be encoded").isFalse();
        assertThat(origin("X-Forwarded-Proto", "ht tp").fitsUri()).isFalse();
        assertThat(origin("Forwarded", "proto=\"h:s\"").fitsUri()).isFalse();
    }

    @Test
    void withoutHostOrSchemeFieldsTheRequestsOwnAreKept() {
        assertThat(origin("X-Forwarded-For", "203.0.113.7"))
                .isEqualTo(new ForwardedOrigin("203.0.113.7", "http", "internal", 8080));
    }

    @Test
    void aCidrListServesAsWell() {
        TrustedProxies cidrs = TrustedProxies.cidrs(java.util.List.of("10.0.0.0/8"));
        ForwardedOrigin origin = ForwardedOrigin.of(fields("X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.1.2.3"),
                cidrs, "10.0.0.1", "http", "internal", 80);
        assertThat(origin.client()).isEqualTo("203.0.113.9");
    }
}
