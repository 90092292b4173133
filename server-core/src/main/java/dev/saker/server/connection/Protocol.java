package dev.saker.server.connection;

import io.netty.channel.Channel;

/**
 * An application protocol the engine can run on an accepted (and, for TLS, handshaken) channel.
 * The protocol selection step picks one and asks it to install its handlers; HTTP/1.1 is one,
 * HTTP/2 and upgraded WebSocket connections are others.
 */
public interface Protocol {

    /** @return the ALPN identifier of this protocol ({@code http/1.1}, {@code h2}) */
    String alpnId();

    /**
     * Adds this protocol's handlers at the end of {@code channel}'s pipeline. Called on the
     * channel's loop, right at accept (cleartext) or after an earlier stage such as a TLS handshake.
     * The protocol's connection counts the channel as opened, unless that earlier stage counted it
     * and set {@link Connection#ACCEPTED_AT}: then it takes that count (and age) over.
     */
    void install(Channel channel, LoopContext loop);
}
