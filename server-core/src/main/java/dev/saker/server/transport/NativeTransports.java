package dev.saker.server.transport;

/** Availability checks of the native transports; each kind loads its classes only when asked. */
final class NativeTransports {

    private NativeTransports() {
    }

    static Transport require(TransportKind kind, Transport transport) {
        if (transport == null) {
            throw new IllegalStateException("transport " + kind + " is not available on this machine: "
                    + unavailability(kind) + " (use AUTO or NIO, or add Netty's native transport jar for this platform)");
        }
        return transport;
    }

    static Transport epollOrNull() {
        try {
            return EpollTransport.isAvailable() ? EpollTransport.create() : null;
        } catch (LinkageError missing) {
            return null;
        }
    }

    static Transport kqueueOrNull() {
        try {
            return KQueueTransport.isAvailable() ? KQueueTransport.create() : null;
        } catch (LinkageError missing) {
            return null;
        }
    }

    static Transport ioUringOrNull() {
        try {
            return IoUringTransport.isAvailable() ? IoUringTransport.create() : null;
        } catch (LinkageError missing) {
            return null;
        }
    }

    private static String unavailability(TransportKind kind) {
        try {
            Throwable cause;
            switch (kind) {
                case EPOLL: cause = EpollTransport.cause(); break;
                case KQUEUE: cause = KQueueTransport.cause(); break;
                default: cause = IoUringTransport.cause(); break;
            }
            return String.valueOf(cause);
        } catch (LinkageError missing) {
            return "its classes are not on the class path (" + missing + ")";
        }
    }

    /** Holder so that epoll classes load only when epoll is considered. */
    private static final class EpollTransport {
        static boolean isAvailable() {
            return io.netty.channel.epoll.Epoll.isAvailable();
        }

        static Throwable cause() {
            return io.netty.channel.epoll.Epoll.unavailabilityCause();
        }

        static Transport create() {
            return new Transport(TransportKind.EPOLL, io.netty.channel.epoll.EpollIoHandler::newFactory,
                    io.netty.channel.epoll.EpollServerSocketChannel.class, io.netty.channel.epoll.EpollChannelOption.SO_REUSEPORT);
        }
    }

    private static final class KQueueTransport {
        static boolean isAvailable() {
            return io.netty.channel.kqueue.KQueue.isAvailable();
        }

        static Throwable cause() {
            return io.netty.channel.kqueue.KQueue.unavailabilityCause();
        }

        static Transport create() {
            // kqueue has SO_REUSEPORT but BSD does not balance accepts across sockets: one acceptor.
            return new Transport(TransportKind.KQUEUE, io.netty.channel.kqueue.KQueueIoHandler::newFactory,
                    io.netty.channel.kqueue.KQueueServerSocketChannel.class, null);
        }
    }

    private static final class IoUringTransport {
        static boolean isAvailable() {
            return io.netty.channel.uring.IoUring.isAvailable();
        }

        static Throwable cause() {
            return io.netty.channel.uring.IoUring.unavailabilityCause();
        }

        static Transport create() {
            return new Transport(TransportKind.IO_URING, io.netty.channel.uring.IoUringIoHandler::newFactory,
                    io.netty.channel.uring.IoUringServerSocketChannel.class, io.netty.channel.unix.UnixChannelOption.SO_REUSEPORT);
        }
    }
}
