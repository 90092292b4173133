package dev.saker.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A resolved transport: the Netty I/O handler, the listening channel type, and whether each event
 * loop can have its own listening socket (SO_REUSEPORT). Native classes are touched only when their
 * kind is chosen, so a missing optional jar never breaks class loading.
 */
public final class Transport {

    private final TransportKind kind;
    private final Supplier<IoHandlerFactory> ioHandlerFactory;
    private final Class<? extends ServerChannel> serverChannel;
    private final ChannelOption<Boolean> reusePort;
    /**
     * How long a listener that ignores new connections stays open for the handshakes under way:
     * many round trips of any network between a load balancer and its instances.
     */
    static final Duration HANDSHAKE_SETTLE = Duration.ofMillis(50);

    Transport(TransportKind kind, Supplier<IoHandlerFactory> ioHandlerFactory,
              Class<? extends ServerChannel> serverChannel, ChannelOption<Boolean> reusePort) {
        this.kind = kind;
        this.ioHandlerFactory = ioHandlerFactory;
        this.serverChannel = serverChannel;
        this.reusePort = reusePort;
    }

    /**
     * Resolves a requested kind. {@link TransportKind#AUTO} picks epoll, then kqueue, then NIO.
     *
     * @throws IllegalStateException when a native kind is asked for explicitly and is unavailable,
     *         with the cause Netty gives
     */
    public static Transport resolve(TransportKind requested) {
        switch (requested) {
            case AUTO:
                Transport epoll = NativeTransports.epollOrNull();
                if (epoll != null) {
                    return epoll;
                }
                Transport kqueue = NativeTransports.kqueueOrNull();
                return kqueue != null ? kqueue : nio();
            case EPOLL:
                return NativeTransports.require(TransportKind.EPOLL, NativeTransports.epollOrNull());
            case KQUEUE:
                return NativeTransports.require(TransportKind.KQUEUE, NativeTransports.kqueueOrNull());
            case IO_URING:
                return NativeTransports.require(TransportKind.IO_URING, NativeTransports.ioUringOrNull());
            default:
                return nio();
        }
    }

    static Transport nio() {
        return new Transport(TransportKind.NIO, NioIoHandler::newFactory, NioServerSocketChannel.class, null);
    }

    /** @return the kind actually used (never AUTO) */
    public TransportKind kind() {
        return kind;
    }

    public IoHandlerFactory ioHandlerFactory() {
        return ioHandlerFactory.get();
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    /** @return whether every event loop binds its own listening socket (SO_REUSEPORT) */
    public boolean listenerPerLoop() {
        return reusePort != null;
    }

    /** @return the SO_REUSEPORT option of this transport, or {@code null} */
    public ChannelOption<Boolean> reusePortOption() {
        return reusePort;
    }

    /**
     * Closes listening sockets without resetting the connections that reached them. With epoll,
     * each listener first ignores new connection attempts (a socket filter drops their SYN; the
     * client sends it again a second later, is refused, and a load balancer retries elsewhere)
     * while handshakes under way finish for {@link #HANDSHAKE_SETTLE}; then, on its event loop,
     * what waits in its backlog is accepted (served as any other) and it closes. Other transports
     * close their listeners as they are, which resets their backlogs. Returns once all are closed.
     */
    public void closeTakingBacklog(List<Channel> listeners) {
        if (kind == TransportKind.EPOLL) {
            boolean refusing = false;
            for (Channel listener : listeners) {
                refusing |= EpollSynFilter.refuseNewConnections(listener);
            }
            if (refusing) {
                // A handshake whose SYN passed before the filter completes one round trip later.
                long end = System.nanoTime() + HANDSHAKE_SETTLE.toNanos();
                for (long left = HANDSHAKE_SETTLE.toNanos(); left > 0; left = end - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
            }
            for (Channel listener : listeners) {
                listener.eventLoop().submit(() -> {
                    EpollBacklog.acceptAll(listener);
                    listener.close();
                }).syncUninterruptibly();
            }
        }
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
