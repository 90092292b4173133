package dev.saker.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * What an HTTP/1.1 connection becomes once a handler switched it to another protocol with
 * {@link dev.saker.server.http.HttpExchange#upgrade(UpgradedProtocol)} (WebSocket, or the raw byte
 * stream behind a Servlet {@code HttpUpgradeHandler}). The engine writes the {@code 101} response,
 * takes HTTP/1.1 out of the pipeline and then calls {@link #install} on the connection's event loop.
 * If the connection closes before that, {@code install} is never called.
 */
public interface UpgradedProtocol {

    /**
     * Takes the channel over. The connection is still counted as open and its
     * {@link Connection#ACCEPTED_AT} attribute is set, so the protocol takes that count over (as a
     * protocol installed after a TLS handshake does) and reports the close to
     * {@code runtime.stats()} once. It registers its own {@link Connection} with
     * {@link LoopContext#add} so that the loop's sweep, the graceful drain and a forced close reach
     * it, and removes it when the channel closes.
     *
     * <p>The channel is handed over with auto-read on (a protocol that reads on demand turns it
     * off here) and the {@code 101} written but not yet flushed: the engine flushes after this call,
     * so what the protocol writes here follows the {@code 101} (a protocol that closes at once must
     * flush first: {@code channel.close()} would drop the 101). A server that began draining before
     * the switch calls no {@link Connection#drain} on a connection added later: check
     * {@link ServerRuntime#draining()} here. A client that had already half-closed is signalled with
     * a {@code ChannelInputShutdownEvent} after this call. Must not throw: if it does, the engine
     * closes the channel and counts the close itself, so the protocol must not have counted it.
     *
     * @param channel the connection's channel; HTTP/1.1's handlers have left its pipeline
     * @param runtime the server the connection belongs to
     * @param loop the channel's event loop context
     * @param rest bytes the client sent after the upgrade request (the new protocol's first bytes),
     *     owned by the callee; empty when there are none
     */
    void install(Channel channel, ServerRuntime runtime, LoopContext loop, ByteBuf rest);
}
