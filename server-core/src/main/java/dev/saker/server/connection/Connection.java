package dev.saker.server.connection;

import io.netty.util.AttributeKey;

/**
 * One accepted connection as its event loop sees it, whatever protocol it speaks: the loop's sweep
 * enforces its deadlines and shutdown closes it. Every method is called on the connection's loop.
 */
public interface Connection {

    /**
     * When the channel was accepted ({@link System#nanoTime()}), set by the stage that counted it
     * (a TLS handshake); a protocol installed later takes the connection over with that count and
     * that age instead of counting it again.
     */
    AttributeKey<Long> ACCEPTED_AT = AttributeKey.valueOf("saker.acceptedAt");

    /** Enforces every deadline of this connection; {@code now} is {@link System#nanoTime()}. */
    void checkTimeouts(long now);

    /**
     * The server began a graceful shutdown at {@code now} ({@link System#nanoTime()}): the
     * connection takes no request it has not begun once it has been idle for
     * {@link dev.saker.server.lifecycle.ServerConfig#drainIdleGrace()} since its last activity
     * (closing then, here or from the sweep), and closes after the response it is working on. A
     * request that arrives before that is served and answered with {@code Connection: close}
     * (HTTP/1.1), or the client is told with a GOAWAY (HTTP/2).
     */
    void drain(long now);

    /** Closes now, whatever the connection is doing (end of a graceful shutdown, or a stop). */
    void forceClose();

    /** @return the slot {@link LoopContext} keeps for this connection in its list, or -1 */
    int loopSlot();

    /** Set by {@link LoopContext} only: where this connection sits in the loop's list. */
    void loopSlot(int slot);
}
