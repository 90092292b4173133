package dev.saker.server.observe;

import java.util.Locale;

/** Why a TLS handshake did not finish. */
public enum HandshakeFailure {
    /** The first bytes were not a TLS handshake record (cleartext HTTP, or anything else). */
    NOT_TLS,
    /** The ClientHello was larger than {@code maxClientHelloSize}. */
    CLIENT_HELLO_TOO_LARGE,
    /** The handshake was not done within {@code handshakeTimeout} of the accept. */
    TIMEOUT,
    /** The TLS engine refused it: no common protocol or cipher, a missing or untrusted client certificate, a bad record. */
    REJECTED,
    /** The client closed or reset the connection before the handshake finished. */
    CLOSED,
    /** The server was stopping. */
    SHUTDOWN;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** @return the lower-case name, for metric tags ({@code not_tls}, {@code timeout}, ...) */
    public String tag() {
        return tag;
    }
}
