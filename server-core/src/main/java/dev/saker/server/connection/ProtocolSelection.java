package dev.saker.server.connection;

import io.netty.channel.Channel;

/**
 * Decides, for each accepted channel, what runs on it: on a cleartext listener the HTTP/1.1
 * connection at once; on a TLS listener the handshake, then the protocol ALPN agreed on.
 */
public interface ProtocolSelection {

    /** Sets up a freshly accepted {@code channel}, which lives on {@code loop}. */
    void select(Channel channel, LoopContext loop);

    /** Installs {@code protocol} directly: cleartext connections. */
    static ProtocolSelection cleartext(Protocol protocol) {
        return protocol::install;
    }
}
