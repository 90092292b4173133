package dev.saker.server.tls;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.Protocol;
import dev.saker.server.connection.ProtocolSelection;
import dev.saker.server.connection.ServerRuntime;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
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
        TlsContexts next = TlsContexts.build(Objects.requireNonNull(defaultMaterial, "defaultMaterial"),
                Objects.requireNonNull(serverNames, "serverNames"), provider, alpnIds);
        contexts = next;
        runtime.stats().tls().certificates(next.served());
    }

    /** @return the provider serving handshakes: {@link TlsProvider#OPENSSL} or {@link TlsProvider#JDK} */
    public TlsProvider provider() {
        return provider == SslProvider.JDK ? TlsProvider.JDK : TlsProvider.OPENSSL;
    }

    /** @return the context for {@code serverName} (SNI, any case; {@code null} for none) at this moment */
    SslContext contextFor(String serverName) {
        return contexts.forServerName(serverName);
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
