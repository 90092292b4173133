package dev.saker.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.observe.AdmissionRejection;
import dev.saker.server.observe.AdmissionStats;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which connections and requests count as one client: IPv6 addresses by their prefix. Channels
 * with made-up remote addresses, since a test can only open sockets from loopback.
 */
class AdmissionClientKeyTest {

    private static final HttpHeaders NONE = new MutableHeaders();

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AdmissionStats stats = new AdmissionStats();
    private final List<Channel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(Channel::close);
    }

    /** An embedded channel that says it is connected from {@code address}. */
    private Channel from(String address) throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(address), 40000);
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return remote;
            }
        };
        channels.add(channel);
        return channel;
    }

    private Admission admission(AdmissionConfig.Builder config) {
        return Admission.create(config.nanoClock(clock::get).build(), stats);
    }

    @Test
    void connectionsFromOneSlash64CountAsOneClient() throws Exception {
        Admission admission = admission(AdmissionConfig.builder().maxConnectionsPerClient(2));
        assertThat(admission.admitConnection(from("2001:db8:1:2::a"))).isTrue();
        assertThat(admission.admitConnection(from("2001:db8:1:2:dead:beef:0:1"))).isTrue();
        assertThat(admission.admitConnection(from("2001:db8:1:2::c"))).as("third of the /64").isFalse();
        assertThat(admission.admitConnection(from("2001:db8:1:3::a"))).as("another /64").isTrue();
        assertThat(stats.rejectedCount(AdmissionRejection.CLIENT_CONNECTIONS)).isEqualTo(1);
        assertThat(admission.trackedClients()).isEqualTo(2);
    }

    @Test
    void aClosedConnectionGivesItsPrefixsAllowanceBack() throws Exception {
        Admission admission = admission(AdmissionConfig.builder().maxConnectionsPerClient(1));
        Channel first = from("2001:db8:1:2::a");
        assertThat(admission.admitConnection(first)).isTrue();
        assertThat(admission.admitConnection(from("2001:db8:1:2::b"))).isFalse();
        first.close();
        assertThat(admission.admitConnection(from("2001:db8:1:2::b"))).isTrue();
    }

    @Test
    void prefix128KeysEachAddressOnItsOwn() throws Exception {
        Admission admission = admission(AdmissionConfig.builder().maxConnectionsPerClient(1).perClientIpv6PrefixLength(128));
        assertThat(admission.admitConnection(from("2001:db8:1:2::a"))).isTrue();
        assertThat(admission.admitConnection(from("2001:db8:1:2::b"))).isTrue();
        assertThat(admission.admitConnection(from("2001:db8:1:2::a"))).isFalse();
        assertThat(admission.trackedClients()).isEqualTo(2);
    }

    @Test
    void connectionsFromOneSlash64ShareTheRateBucket() throws Exception {
        Admission admission = admission(AdmissionConfig.builder().requestsPerSecond(1).burst(2));
        Channel a = from("2001:db8:1:2::a");
        Channel b = from("2001:db8:1:2::b");
        Channel other = from("2001:db8:1:3::a");
        for (Channel channel : List.of(a, b, other)) {
            assertThat(admission.admitConnection(channel)).isTrue();
        }
        assertThat(admission.admitRequest(a, NONE)).isNull();
        assertThat(admission.admitRequest(b, NONE)).isNull();
        assertThat(admission.admitRequest(a, NONE)).as("the /64's burst is spent").isNotNull();
        assertThat(admission.admitRequest(b, NONE)).isNotNull();
        assertThat(admission.admitRequest(other, NONE)).as("another /64").isNull();
        assertThat(stats.rejectedCount(AdmissionRejection.CLIENT_RATE)).isEqualTo(2);
    }

    @Test
    void ipv4ClientsStayPerAddress() throws Exception {
        Admission admission = admission(AdmissionConfig.builder().maxConnectionsPerClient(1).perClientIpv6PrefixLength(1));
        assertThat(admission.admitConnection(from("203.0.113.5"))).isTrue();
        assertThat(admission.admitConnection(from("203.0.113.6"))).isTrue();
        assertThat(admission.admitConnection(from("::ffff:203.0.113.5"))).as("IPv4-mapped: the same client").isFalse();
    }
}
