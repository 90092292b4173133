package dev.saker.server.transport;

/** Which Netty transport carries the connections. */
public enum TransportKind {

    /** The best native transport available (epoll on Linux, kqueue on macOS), else NIO; never io_uring. */
    AUTO,

    /** Linux epoll, with one SO_REUSEPORT listener per event loop. */
    EPOLL,

    /** BSD/macOS kqueue. */
    KQUEUE,

    /** Linux io_uring (only when asked for), with one SO_REUSEPORT listener per event loop. */
    IO_URING,

    /** Java NIO: works everywhere. */
    NIO
}
