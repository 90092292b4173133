package dev.saker.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
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
     * Closes a listening socket without resetting the connections waiting in its backlog: on its
     * event loop, those the kernel has completed are accepted (served as any other) and the socket
     * closes right after, which leaves a window of a few system calls instead of everything that
     * arrived since the loop last accepted. Only epoll gives access to the socket; other transports
     * close it as it is. Returns once it is closed.
     */
    public void closeTakingBacklog(Channel listener) {
        if (kind == TransportKind.EPOLL) {
            listener.eventLoop().submit(() -> {
                EpollBacklog.acceptAll(listener);
                listener.close();
            }).syncUninterruptibly();
        }
        listener.close().syncUninterruptibly();
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
