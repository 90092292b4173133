package dev.saker.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ClientTableTest {

    private static ClientKey address(int n) throws UnknownHostException {
        return ClientKey.of(InetAddress.getByAddress(new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n}), 64);
    }

    /** Client {@code n} of the 2001::/32 block, each in its own /64. */
    private static ClientKey v6(int n) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[4] = (byte) (n >>> 24);
        bytes[5] = (byte) (n >>> 16);
        bytes[6] = (byte) (n >>> 8);
        bytes[7] = (byte) n;
        bytes[15] = 1;
        return ClientKey.of(InetAddress.getByAddress(bytes), 64);
    }

    @Test
    void aMillionDistinctClientsNeverGrowTheTableBeyondItsBound() throws Exception {
        int bound = 10_000;
        TokenBucket bucket = new TokenBucket(1, 5);
        ClientTable table = new ClientTable(bound, bucket);
        long now = 0;
        int max = 0;
        for (int i = 0; i < 1_000_000; i++) {
            ClientEntry entry = table.get(i % 2 == 0 ? address(i) : v6(i), now);
            assertThat(entry).isNotNull();
            // Each spoofed client sends a request, so its bucket is not full: eviction must still work.
            bucket.take(entry, now);
            max = Math.max(max, table.size());
            now += 1_000;
        }
        assertThat(max).isEqualTo(bound);
        assertThat(table.size()).isEqualTo(bound);
    }

    @Test
    void clientsWithOpenConnectionsAreNeverEvicted() throws Exception {
        ClientTable table = new ClientTable(16, null);
        ClientEntry[] pinned = new ClientEntry[8];
        for (int i = 0; i < pinned.length; i++) {
            pinned[i] = table.get(address(i), 0);
            assertThat(pinned[i].tryOpen(10)).isEqualTo(ClientEntry.OPENED);
        }
        for (int i = 100; i < 10_100; i++) {
            assertThat(table.get(address(i), 0)).isNotNull();
        }
        for (int i = 0; i < pinned.length; i++) {
            assertThat(table.get(address(i), 0)).as("client %d keeps its entry", i).isSameAs(pinned[i]);
            assertThat(pinned[i].connections()).isEqualTo(1);
        }
        assertThat(table.size()).isEqualTo(16);
    }

    @Test
    void aTableFullOfConnectedClientsRefusesANewOne() throws Exception {
        ClientTable table = new ClientTable(16, null);
        for (int i = 0; i < 16; i++) {
            assertThat(table.get(address(i), 0).tryOpen(1)).isEqualTo(ClientEntry.OPENED);
        }
        assertThat(table.get(address(99), 0)).isNull();
        assertThat(table.size()).isEqualTo(16);
    }

    @Test
    void anEvictedEntryIsDeadSoNoConnectionCountsOnIt() throws Exception {
        ClientTable table = new ClientTable(16, null);
        ClientEntry first = table.get(address(0), 0);
        for (int i = 1; i < 100; i++) {
            table.get(address(i), 0);
        }
        assertThat(table.get(address(0), 0)).isNotSameAs(first);
        assertThat(first.tryOpen(10)).isEqualTo(ClientEntry.DEAD);
    }
}
