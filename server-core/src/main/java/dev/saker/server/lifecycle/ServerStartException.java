package dev.saker.server.lifecycle;

import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * The server could not start; when the port is taken the cause is a {@link BindException} whose
 * message says the address is in use (see {@link #isPortInUse()}).
 */
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

    /**
     * @return whether the start failed because the port is already in use; an address that cannot
     *         be assigned (not one of this host's) also fails with a {@link BindException}, but is not
     *         a port in use
     */
    public boolean isPortInUse() {
        Throwable cause = getCause();
        return cause instanceof BindException && cause.getMessage() != null
                && cause.getMessage().toLowerCase(java.util.Locale.ROOT).contains("in use");
    }
}
