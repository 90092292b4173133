package dev.saker.server.testing;

import dev.saker.server.tls.ClientAuth;
import dev.saker.server.tls.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The test certificates under {@code src/test/resources/tls} (see the README there) as key stores,
 * server material and client contexts, and a JDK TLS client socket for loopback tests.
 */
public final class TestTls {

    public static final char[] PASSWORD = "changeit".toCharArray();

    private TestTls() {
    }

    /** @param name {@code server}, {@code server2}, {@code alt} or {@code client} */
    public static KeyStore keyStore(String name) {
        try (InputStream in = TestTls.class.getResourceAsStream("/tls/" + name + ".p12")) {
            if (in == null) {
                throw new IllegalArgumentException("no test key store " + name);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509Certificate certificate(String name) {
        try {
            return (X509Certificate) keyStore(name).getCertificate(name);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyManagerFactory keyManagers(String name) {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore(name), PASSWORD);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return trust in exactly the named (self-signed) certificates */
    public static TrustManagerFactory trusting(String... names) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (String name : names) {
                trust.setCertificateEntry(name, certificate(name));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return factory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Server material of the named certificate, no client authentication, provider defaults. */
    public static TlsMaterial material(String name) {
        return new TlsMaterial(keyManagers(name), null, ClientAuth.NONE, List.of(), List.of(), List.of(certificate(name)));
    }

    /** A client context trusting the given server certificates and presenting {@code clientKey} (or none). */
    public static SSLContext clientContext(String clientKey, String... trusted) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(clientKey == null ? null : keyManagers(clientKey).getKeyManagers(),
                    trusting(trusted).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context trusting the test server certificates ({@code server}, {@code server2}, {@code alt}). */
    public static SSLContext clientContext() {
        return clientContext(null, "server", "server2", "alt");
    }

    /**
     * Connects to {@code 127.0.0.1:port} and finishes the handshake.
     *
     * @param serverName the SNI name to send, or {@code null} for none
     * @param alpn protocols to offer over ALPN (none: no ALPN extension)
     */
    public static SSLSocket connect(SSLContext context, int port, String serverName, String... alpn) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        SSLParameters parameters = socket.getSSLParameters();
        List<javax.net.ssl.SNIServerName> names = new ArrayList<>();
        if (serverName != null) {
            names.add(new SNIHostName(serverName));
        }
        parameters.setServerNames(names);
        if (alpn.length > 0) {
            parameters.setApplicationProtocols(alpn);
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /**
     * @return the first flight of a JDK client (its ClientHello in one TLS record), as it would
     *         send it to a server named {@code serverName} (or none)
     */
    public static byte[] clientHello(String serverName) {
        try {
            javax.net.ssl.SSLEngine engine = clientContext().createSSLEngine(serverName, 443);
            engine.setUseClientMode(true);
            java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(java.nio.ByteBuffer.allocate(0), out);
            out.flip();
            byte[] hello = new byte[out.remaining()];
            out.get(hello);
            return hello;
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads and drops what the server sends until it closes, at most {@code maxMillis}.
     *
     * @return whether the server closed (EOF or reset) in that time
     */
    public static boolean awaitClose(java.net.Socket socket, long maxMillis) throws IOException {
        long end = System.nanoTime() + maxMillis * 1_000_000L;
        byte[] sink = new byte[4096];
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                if (socket.getInputStream().read(sink) < 0) {
                    return true;
                }
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
    }

    /** @return the certificate the server presented on {@code socket} */
    public static X509Certificate peer(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
}
