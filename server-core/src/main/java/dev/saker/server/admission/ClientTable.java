package dev.saker.server.admission;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clients the server tracks, at most {@code maxClients}: one concurrent map shared by every
 * event loop (a client's connections may land on different loops), so a lookup is a lock-free
 * read. A new client past the bound first evicts one with the clock (second-chance) algorithm: the
 * hand walks the map, skips clients with open connections, evicts one whose bucket is full or that
 * was not used since the hand last passed, and clears the mark of the others. A slot is reserved
 * before the insert, so the map never holds more than the bound, even while loops race.
 */
final class ClientTable {

    private final ConcurrentHashMap<ClientKey, ClientEntry> clients;
    private final AtomicInteger size = new AtomicInteger();
    private final int maxClients;
    private final TokenBucket bucket;
    private final Object handLock = new Object();
    /** The clock hand; guarded by {@link #handLock}. */
    private Iterator<ClientEntry> hand;

    /** @param bucket the rate limit, whose full buckets are free to evict, or null */
    ClientTable(int maxClients, TokenBucket bucket) {
        this.maxClients = maxClients;
        this.bucket = bucket;
        this.clients = new ConcurrentHashMap<>(Math.min(maxClients, 1024));
    }

    /** @return the entry of {@code key}, made if new; null when the table is full of connected clients */
    ClientEntry get(ClientKey key, long now) {
        ClientEntry entry = clients.get(key);
        if (entry != null) {
            if (!entry.recent) {
                entry.recent = true;
            }
            return entry;
        }
        return insert(key, now);
    }

    private ClientEntry insert(ClientKey key, long now) {
        for (;;) {
            int current = size.get();
            if (current < maxClients) {
                if (size.compareAndSet(current, current + 1)) {
                    break;
                }
            } else if (!evictOne(now)) {
                return null;
            }
        }
        ClientEntry fresh = new ClientEntry(key, now);
        ClientEntry existing = clients.putIfAbsent(key, fresh);
        if (existing != null) {
            size.decrementAndGet();
            return existing;
        }
        return fresh;
    }

    /** @return false when no client could be evicted (all have connections open) */
    private boolean evictOne(long now) {
        synchronized (handLock) {
            if (size.get() < maxClients) {
                return true;
            }
            // Two turns: the first may only clear marks; a third finds nothing the second did not.
            long steps = 2L * maxClients + 2;
            for (long i = 0; i < steps; i++) {
                if (hand == null || !hand.hasNext()) {
                    hand = clients.values().iterator();
                    if (!hand.hasNext()) {
                        return false;
                    }
                }
                ClientEntry entry = hand.next();
                if (entry.connections() == 0 && (!entry.recent || (bucket != null && bucket.full(entry, now)))
                        && entry.retire()) {
                    clients.remove(entry.key, entry);
                    size.decrementAndGet();
                    return true;
                }
                entry.recent = false;
            }
            return false;
        }
    }

    /** @return the clients tracked now */
    int size() {
        return size.get();
    }
}
