package dev.saker.server.admission;

import dev.saker.server.forwarded.TrustedProxies;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.observe.AdmissionRejection;
import dev.saker.server.observe.AdmissionStats;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.LongSupplier;

/**
 * Admission control of one server, shared by all its event loops: per-client connection and rate
 * limits (the client is the connection's remote IP address, or the forwarded client of a request
 * from a trusted proxy; an IPv6 one cut to its prefix, see {@link ClientKey}) and the server-wide
 * concurrency limit.
 * The engine holds none when every limit is off, so a request then costs one null check.
 */
public final class Admission {

    /** The client entry of a connection, pinned while the connection is open. */
    private static final AttributeKey<ClientEntry> CLIENT = AttributeKey.valueOf("saker.admission.client");

    private final AdmissionStats stats;
    private final LongSupplier clock;
    private final int maxConnectionsPerClient;
    private final int ipv6PrefixLength;
    private final ClientTable clients;
    /** Null without trusted proxies. */
    private final ForwardedClient forwarded;
    private final TokenBucket bucket;
    private final ConcurrencyLimit concurrency;
    private final Rejection atConcurrencyLimit;
    private final Rejection tableFull;

    private Admission(AdmissionConfig config, AdmissionStats stats) {
        this.stats = stats;
        this.clock = config.nanoClock();
        this.maxConnectionsPerClient = config.maxConnectionsPerClient() > 0 ? config.maxConnectionsPerClient() : Integer.MAX_VALUE;
        this.ipv6PrefixLength = config.perClientIpv6PrefixLength();
        double rate = config.requestsPerSecond();
        this.bucket = rate > 0 ? new TokenBucket(rate, config.burst() > 0 ? config.burst() : (int) Math.max(1, Math.ceil(rate))) : null;
        this.clients = config.perClient() ? new ClientTable(config.maxClients(), bucket) : null;
        TrustedProxies proxies = TrustedProxies.cidrs(config.trustedProxies());
        this.forwarded = proxies.isEmpty() ? null : new ForwardedClient(proxies, config.clientHeader().equals("Forwarded"));
        int max = config.maxConcurrentRequests();
        if (max > 0) {
            AimdLimit aimd = config.adaptive()
                    ? new AimdLimit(config.adaptiveInitialLimit() > 0 ? config.adaptiveInitialLimit() : max,
                            config.adaptiveMinLimit(), max, config.adaptiveLatencyThreshold().toNanos(),
                            config.adaptiveBackoffRatio())
                    : null;
            this.concurrency = new ConcurrencyLimit(max, aimd);
        } else {
            this.concurrency = null;
        }
        long retryAfter = config.retryAfter().getSeconds();
        this.atConcurrencyLimit = Rejection.unavailable(AdmissionRejection.CONCURRENCY, retryAfter);
        this.tableFull = Rejection.unavailable(AdmissionRejection.CLIENT_TABLE_FULL, retryAfter);
        stats.bind(clients == null ? () -> 0 : clients::size, concurrency == null ? () -> -1 : concurrency::limit);
    }

    /** @return the admission control of {@code config}, or null when every limit is off */
    public static Admission create(AdmissionConfig config, AdmissionStats stats) {
        return config.enabled() ? new Admission(config, stats) : null;
    }

    /**
     * Admits a just-accepted connection: counts it against its client (until it closes) or
     * refuses it, counted. A refused connection is to be closed without a word: answering would
     * mean reading a request (and on TLS, a handshake), the very work the limit is there to spare.
     *
     * @return whether the connection may be served
     */
    public boolean admitConnection(Channel channel) {
        if (clients == null) {
            return true;
        }
        InetAddress address = addressOf(channel.remoteAddress());
        if (address == null || (forwarded != null && forwarded.trusts(address))) {
            // Not an IP client, or a trusted proxy: its connections carry many clients.
            return true;
        }
        ClientKey key = ClientKey.of(address, ipv6PrefixLength);
        for (;;) {
            ClientEntry client = clients.get(key, clock.getAsLong());
            if (client == null) {
                stats.rejected(AdmissionRejection.CLIENT_TABLE_FULL);
                return false;
            }
            int outcome = client.tryOpen(maxConnectionsPerClient);
            if (outcome == ClientEntry.OPENED) {
                channel.attr(CLIENT).set(client);
                channel.closeFuture().addListener(f -> client.closed());
                return true;
            }
            if (outcome == ClientEntry.OVER_LIMIT) {
                stats.rejected(AdmissionRejection.CLIENT_CONNECTIONS);
                return false;
            }
            // Evicted between lookup and count: look it up again.
        }
    }

    /**
     * Admits a request of the connection {@code channel} (for HTTP/2, the parent of the stream).
     * An admitted request holds a concurrency permit when {@link #limitsConcurrency()}: give it
     * back with {@link #requestDone} when its response is done.
     *
     * @param headers the request's fields, read only for a request from a trusted proxy
     * @return null when admitted, else how to answer (counted already)
     */
    public Rejection admitRequest(Channel channel, HttpHeaders headers) {
        if (bucket != null) {
            ClientEntry client = channel.attr(CLIENT).get();
            long now = clock.getAsLong();
            if (client == null) {
                InetAddress address = addressOf(channel.remoteAddress());
                if (address != null && forwarded != null && forwarded.trusts(address)) {
                    InetAddress named = forwarded.clientOf(headers);
                    // No usable name: the proxy's own bucket.
                    address = named == null ? address : named;
                }
                client = address == null ? null : clients.get(ClientKey.of(address, ipv6PrefixLength), now);
                if (client == null && address != null) {
                    stats.rejected(AdmissionRejection.CLIENT_TABLE_FULL);
                    return tableFull;
                }
            }
            if (client != null) {
                long wait = bucket.take(client, now);
                if (wait > 0) {
                    stats.rejected(AdmissionRejection.CLIENT_RATE);
                    return Rejection.rate(wait);
                }
            }
        }
        if (concurrency != null && !concurrency.tryAcquire()) {
            stats.rejected(AdmissionRejection.CONCURRENCY);
            return atConcurrencyLimit;
        }
        return null;
    }

    /** @return whether admitted requests hold a concurrency permit */
    public boolean limitsConcurrency() {
        return concurrency != null;
    }

    /** @return the clock's now, to pass to {@link #requestDone} */
    public long now() {
        return clock.getAsLong();
    }

    /** Gives back the concurrency permit of a request admitted at {@code admittedAt}, answered {@code status}. */
    public void requestDone(long admittedAt, int status) {
        concurrency.release(clock.getAsLong() - admittedAt, status);
    }

    /** @return clients tracked now (0 without per-client limits) */
    int trackedClients() {
        return clients == null ? 0 : clients.size();
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
