package dev.saker.server.tls;

/** Whether the server asks TLS clients for a certificate. */
public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** A client certificate is asked for; the handshake succeeds without one. */
    WANT,
    /** A client certificate is required; the handshake fails without a trusted one. */
    NEED
}
