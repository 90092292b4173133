package dev.saker.server.tls;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.Protocol;
import dev.saker.server.connection.ProtocolSelection;
import dev.saker.server.connection.ServerRuntime;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The protocol selection of a TLS listener. Each accepted channel gets, in order: a guard that
 * answers cleartext HTTP with a 400 and closes on other non-TLS bytes; a reader of the ClientHello
 * (bounded by {@code maxClientHelloSize}) that picks the certificate by SNI name and adds the
 * {@code SslHandler}; and the handshake stage, which enforces {@code handshakeTimeout} from accept
 * and installs the protocol ALPN agreed on ({@code http/1.1} when the client offered none).
 *
 * <p>The certificates can be replaced while serving ({@link #reload}): the new contexts are built
 * first and swapped in whole; connections already open keep the context they were handshaken with.
 * The contexts replaced, and at {@link #close} the current ones, are released at once: their native
 * memory is freed as soon as the last connection using them closes, not by a finalizer.
 */
public final class TlsSelection implements ProtocolSelection {

    /** ALPN id of HTTP/1.1: the protocol of a client that negotiates none. */
    static final String HTTP_1_1 = "http/1.1";

    private final ServerRuntime runtime;
    private final TlsConfig config;
    private final SslProvider provider;
    private final List<Protocol> protocols;
    private final Protocol fallback;
    private final List<String> alpnIds;
    private final long handshakeTimeoutNanos;
    /** The contexts new handshakes use; {@code null} once closed. */
    private volatile TlsContexts contexts;

    /**
     * Builds the contexts of {@code config}'s certificates.
     *
     * @param protocols the protocols this listener serves, in ALPN preference order
     * @throws TlsSetupException when the provider is not available or refuses a certificate
     */
    public TlsSelection(ServerRuntime runtime, TlsConfig config, List<Protocol> protocols) {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("a TLS listener needs at least one protocol");
        }
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.config = Objects.requireNonNull(config, "config");
        this.protocols = List.copyOf(protocols);
        this.fallback = byId(this.protocols, HTTP_1_1, this.protocols.get(0));
        List<String> ids = new ArrayList<>();
        for (Protocol protocol : this.protocols) {
            ids.add(protocol.alpnId());
        }
        this.alpnIds = List.copyOf(ids);
        this.provider = TlsProviders.resolve(config.provider());
        this.handshakeTimeoutNanos = config.handshakeTimeout().toNanos();
        this.contexts = TlsContexts.build(config.defaultMaterial(), config.serverNames(), provider, alpnIds);
        runtime.stats().tls().certificates(contexts.served());
    }

    @Override
    public void select(Channel channel, LoopContext loop) {
        TlsHandshake handshake = new TlsHandshake(this, runtime, loop, handshakeTimeoutNanos);
        channel.pipeline().addLast(new NotTlsGuard(handshake::notTls), new ServerNameSelector(this, config.maxClientHelloSize()),
                handshake);
    }

    /**
     * Replaces the certificates: builds every new context first, so a refused one throws and leaves
     * the current ones serving; then swaps them in at once. New handshakes use the new ones; open
     * connections are not touched. Reloads are serialized, so the served certificates the stats
     * report are always those of the contexts in use.
     *
     * @param serverNames material by SNI server name (matched case-insensitively); may be empty
     * @throws TlsSetupException when a certificate is refused
     */
    public synchronized void reload(TlsMaterial defaultMaterial, Map<String, TlsMaterial> serverNames) {
        TlsContexts current = contexts;
        if (current == null) {
            throw new IllegalStateException("the TLS listener is closed");
        }
        TlsContexts next = TlsContexts.build(Objects.requireNonNull(defaultMaterial, "defaultMaterial"),
                Objects.requireNonNull(serverNames, "serverNames"), provider, alpnIds);
        // Published before the old set is released: see acquireContexts.
        contexts = next;
        current.release();
        runtime.stats().tls().certificates(next.served());
    }

    /**
     * Releases the contexts: call once no channel of this listener is open (the server stopped).
     * Handshakes that still ask for a context afterwards fail. Closing twice does nothing more.
     */
    public synchronized void close() {
        TlsContexts current = contexts;
        if (current != null) {
            contexts = null;
            current.release();
        }
    }

    /** @return the provider serving handshakes: {@link TlsProvider#OPENSSL} or {@link TlsProvider#JDK} */
    public TlsProvider provider() {
        return provider == SslProvider.JDK ? TlsProvider.JDK : TlsProvider.OPENSSL;
    }

    /**
     * Takes a use of the current contexts for one handshake's lookup; the caller picks its context
     * from them, makes its engine (which holds a reference of its own to the context) and then
     * {@link TlsContexts#release releases} the use.
     *
     * <p>Why this is safe against a reload on another thread: a reload publishes the new set before
     * it releases the old one, and a set whose uses reached zero never counts up again. So either
     * {@link TlsContexts#tryAcquire} succeeds, and the set's contexts stay alive until this caller
     * releases it (after its engine took its own reference), or it fails because the set was
     * released, which happened after its successor was published: reading the field again sees
     * the successor. The loop ends since each failure means a newer set was published.
     *
     * @throws IllegalStateException when the listener is closed
     */
    TlsContexts acquireContexts() {
        for (;;) {
            TlsContexts current = contexts;
            if (current == null) {
                throw new IllegalStateException("the TLS listener is closed");
            }
            if (current.tryAcquire()) {
                return current;
            }
        }
    }

    /** @return the contexts new handshakes use now, {@code null} once closed (for tests) */
    TlsContexts currentContexts() {
        return contexts;
    }

    /** @return the protocol of ALPN id {@code alpnId}; HTTP/1.1 when none was negotiated */
    Protocol protocolFor(String alpnId) {
        return alpnId == null ? fallback : byId(protocols, alpnId, fallback);
    }

    private static Protocol byId(List<Protocol> protocols, String id, Protocol otherwise) {
        for (Protocol protocol : protocols) {
            if (protocol.alpnId().equals(id)) {
                return protocol;
            }
        }
        return otherwise;
    }
}
