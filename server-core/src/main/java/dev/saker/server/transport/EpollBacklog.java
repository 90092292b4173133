package dev.saker.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the connections the kernel has completed on an epoll listening socket but the listener has
 * not accepted yet. Closing a listening socket resets them, and their clients (a load balancer
 * among them) may already have sent a request on them; accepted, they are served like any other.
 * Loaded only with the epoll transport.
 */
final class EpollBacklog {

    private static final Logger log = LoggerFactory.getLogger(EpollBacklog.class);
    /** Bounds one pass, far above any backlog a kernel keeps for a listener about to close. */
    private static final int MAX = 65_536;

    private EpollBacklog() {
    }

    /**
     * Accepts every waiting connection and hands each to the listener's pipeline, as its own
     * accept loop would. Call on the listener's event loop, right before closing it.
     *
     * @return how many were taken
     */
    static int acceptAll(Channel listener) {
        if (!(listener instanceof EpollServerSocketChannel epoll) || !listener.isOpen()) {
            return 0;
        }
        Socket socket = (Socket) epoll.fd();
        // Room for a socket address as Netty's native accept writes it (length, IPv6 address, scope, port).
        byte[] address = new byte[26];
        int taken = 0;
        try {
            while (taken < MAX) {
                int fd = socket.accept(address);
                if (fd == -1) {
                    break;
                }
                taken++;
                EpollSocketChannel child = new EpollSocketChannel(fd);
                if (log.isDebugEnabled()) {
                    log.debug("took {} from the backlog of {}", child.remoteAddress(), listener);
                }
                listener.pipeline().fireChannelRead(child);
            }
        } catch (IOException e) {
            log.debug("accepting the backlog of {} before closing it failed", listener, e);
        }
        log.debug("took {} connection(s) from the backlog of {}", taken, listener);
        if (taken > 0) {
            listener.pipeline().fireChannelReadComplete();
        }
        return taken;
    }
}
