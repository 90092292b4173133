package dev.saker.server.observe;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A certificate the server presents, for the expiry gauge.
 *
 * @param serverName the SNI name it is served for, or {@code "default"}
 * @param subject the subject's distinguished name
 * @param serial the serial number
 * @param notAfter the end of its validity
 */
public record ServedCertificate(String serverName, String subject, BigInteger serial, Instant notAfter) {

    /** The {@link #serverName()} of the certificate served when no server name matches. */
    public static final String DEFAULT_SERVER_NAME = "default";
}
