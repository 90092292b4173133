package dev.saker.server.admission;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The key of a client in the {@link ClientTable}: an IPv4 address whole, an IPv6 address cut to
 * its first {@code ipv6PrefixLength} bits (an IPv6 client usually owns a whole /64, so keying by
 * address would let one client rotate through 2^64 of them, each with its own bucket). Held as the
 * 128 bits of the IPv6 form, an IPv4 address as its IPv4-mapped {@code ::ffff:a.b.c.d}; so an
 * IPv4-mapped IPv6 address is the IPv4 client. A masked non-mapped address never takes that form:
 * masking keeps the top 96 bits whenever it leaves the low 32.
 */
final class ClientKey {

    /** Bits 80..95 of an IPv4-mapped IPv6 address, as the low half holds them. */
    private static final long MAPPED = 0xFFFFL << 32;

    private final long high;
    private final long low;

    private ClientKey(long high, long low) {
        this.high = high;
        this.low = low;
    }

    /** @param ipv6PrefixLength 1..128; 128 keys each IPv6 address on its own */
    static ClientKey of(InetAddress address, int ipv6PrefixLength) {
        if (address instanceof Inet4Address) {
            return new ClientKey(0, MAPPED | ipv4(address.getAddress()));
        }
        if (!(address instanceof Inet6Address)) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        byte[] bytes = address.getAddress();
        long high = word(bytes, 0);
        long low = word(bytes, 8);
        if (high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == MAPPED) {
            // The JDK hands out Inet4Address for these; an Inet6Address built with its scoped factory may still be one.
            return new ClientKey(0, low);
        }
        if (ipv6PrefixLength <= 64) {
            return new ClientKey(high & mask(ipv6PrefixLength), 0);
        }
        return new ClientKey(high, low & mask(ipv6PrefixLength - 64));
    }

    private static long ipv4(byte[] bytes) {
        return (bytes[0] & 0xFFL) << 24 | (bytes[1] & 0xFFL) << 16 | (bytes[2] & 0xFFL) << 8 | bytes[3] & 0xFFL;
    }

    /** @return a long with its top {@code bits} (1..64) set */
    private static long mask(int bits) {
        return -1L << (64 - bits);
    }

    private static long word(byte[] bytes, int offset) {
        long word = 0;
        for (int i = offset; i < offset + 8; i++) {
            word = word << 8 | bytes[i] & 0xFFL;
        }
        return word;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientKey key && key.high == high && key.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + Long.hashCode(low);
    }

    @Override
    public String toString() {
        return Long.toHexString(high) + ":" + Long.toHexString(low);
    }
}
