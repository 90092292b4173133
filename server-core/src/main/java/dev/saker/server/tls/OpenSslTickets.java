package dev.saker.server.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;

/**
 * Turns on session tickets of an OpenSSL context: Netty leaves them off until a ticket key is set,
 * and TLS 1.3 resumes sessions only through tickets. The key is random and lives as long as the
 * context (a reload starts new keys). Referenced only when OpenSSL is in use, so the JDK provider
 * never loads netty-tcnative's classes.
 */
final class OpenSslTickets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OpenSslTickets() {
    }

    static void enable(SslContext context) {
        if (context.sessionContext() instanceof OpenSslSessionContext) {
            ((OpenSslSessionContext) context.sessionContext()).setTicketKeys(new OpenSslSessionTicketKey(
                    random(OpenSslSessionTicketKey.NAME_SIZE), random(OpenSslSessionTicketKey.HMAC_KEY_SIZE),
                    random(OpenSslSessionTicketKey.AES_KEY_SIZE)));
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
