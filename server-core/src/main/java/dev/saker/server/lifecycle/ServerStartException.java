package dev.saker.server.lifecycle;

import java.net.BindException;
import java.net.InetSocketAddress;

/** The server could not start; when the port is taken the cause is a {@link BindException}. */
public class ServerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress address;

    public ServerStartException(String message, InetSocketAddress address, Throwable cause) {
        super(message, cause);
        this.address = address;
    }

    /** @return the address that could not be bound, or {@code null} if binding was not the problem */
    public InetSocketAddress address() {
        return address;
    }

    /** @return whether the start failed because the address is already in use */
    public boolean isPortInUse() {
        return getCause() instanceof BindException;
    }
}
