package dev.saker.boot.servlet;

import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A JDK TLS client for the factory tests: trusts whatever the server presents (the fixtures are
 * self-signed; tests assert which certificate was served instead), optionally presents a client
 * key from a fixture store, sends SNI only when asked (the JDK sends none for an IP address).
 * Fixtures: {@code src/test/resources/tls}, made by {@code make-fixtures.sh} there.
 */
public final class TlsTestClient {

    private final SSLContext context;
    private String serverName;
    private String[] protocols;

    private TlsTestClient(SSLContext context) {
        this.context = context;
    }

    /** A client with no certificate of its own. */
    public static TlsTestClient anonymous() {
        return withKeys(null, null);
    }

    /** A client presenting a key of {@code store} (a classpath fixture, store password "secret"). */
    public static TlsTestClient withKeys(String store, String keyPassword) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = null;
            if (store != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore(store), keyPassword.toCharArray());
            }
            context.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {new TrustAll()}, null);
            return new TlsTestClient(context);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyStore keyStore(String resource) throws IOException, GeneralSecurityException {
        try (InputStream in = TlsTestClient.class.getResourceAsStream("/tls/" + resource)) {
            KeyStore store = KeyStore.getInstance(resource.endsWith(".p12") ? "PKCS12" : "JKS");
            store.load(in, "secret".toCharArray());
            return store;
        }
    }

    /** @return the client's TLS context (trusts any server), for clients other than {@link #connect(int)} */
    public SSLContext context() {
        return context;
    }

    /** Sends {@code name} as the SNI server name. */
    public TlsTestClient serverName(String name) {
        this.serverName = name;
        return this;
    }

    /** Offers only these protocol versions. */
    public TlsTestClient protocols(String... versions) {
        this.protocols = versions;
        return this;
    }

    /** Connects to {@code 127.0.0.1:port} and finishes the handshake. */
    public SSLSocket connect(int port) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            List<SNIServerName> names = new ArrayList<>();
            if (serverName != null) {
                names.add(new SNIHostName(serverName));
            }
            parameters.setServerNames(names);
            if (protocols != null) {
                parameters.setProtocols(protocols);
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** One GET on a new connection. */
    public RawClient.Response get(int port, String path) throws IOException {
        try (RawClient client = new RawClient(connect(port))) {
            return get(client, path);
        }
    }

    public static RawClient.Response get(RawClient client, String path) throws IOException {
        client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return client.read();
    }

    /** @return the common name of the certificate the server presented */
    static String servedName(SSLSocket socket) throws IOException {
        X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName().replaceFirst("^CN=([^,]*).*$", "$1");
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
