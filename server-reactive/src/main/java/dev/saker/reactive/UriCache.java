package dev.saker.reactive;

import java.net.URI;

/**
 * The request URIs built lately, so that a request for the same target on the same host reuses its
 * {@link URI} instead of parsing it again: parsing is most of what turning an HTTP request into
 * Spring's request costs, and clients repeat their targets (polling, health checks, the same API
 * calls). Direct-mapped and bounded: {@value #SIZE} slots, each holding the last entry whose key
 * hashed there, and only keys of at most {@value #MAX_KEY_LENGTH} characters.
 *
 * <p>Shared by the event loops without locks: an entry is immutable (final fields, safely
 * published), so a reader sees either a whole entry or none, and a lost write costs one parse.
 */
final class UriCache {

    static final int SIZE = 256;
    static final int MAX_KEY_LENGTH = 512;

    private final Entry[] entries = new Entry[SIZE];

    /** @return the URI cached for this key, or {@code null} */
    URI get(boolean secure, String host, String target) {
        Entry entry = entries[slot(host, target)];
        if (entry != null && entry.secure == secure && entry.target.equals(target) && entry.host.equals(host)) {
            return entry.uri;
        }
        return null;
    }

    /** Remembers {@code uri} for this key (replacing whatever shared its slot) unless the key is too long. */
    void put(boolean secure, String host, String target, URI uri) {
        if (host.length() + target.length() <= MAX_KEY_LENGTH) {
            entries[slot(host, target)] = new Entry(secure, host, target, uri);
        }
    }

    private static int slot(String host, String target) {
        int hash = target.hashCode() * 31 + host.hashCode();
        return (hash ^ hash >>> 16) & (SIZE - 1);
    }

    private record Entry(boolean secure, String host, String target, URI uri) {
    }
}
