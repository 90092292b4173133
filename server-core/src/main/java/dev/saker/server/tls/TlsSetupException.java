package dev.saker.server.tls;

/**
 * TLS could not be set up: the provider asked for is not available, or a certificate, protocol or
 * cipher suite was refused. At start the server does not start; on reload the old certificates
 * keep serving.
 */
public class TlsSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
