package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.TestTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native key material an OpenSSL context converts for its handshakes is freed with the context,
 * however the first handshakes on it interleave. Two handshakes on two threads, the second one
 * looking for the material while the first converts it (what a reload under load produces on two
 * event loops): with Netty 4.2.18's {@code OpenSslCachingX509KeyManagerFactory} the second one kept
 * a reference nobody released, reported as a leaked {@code DefaultOpenSslKeyMaterial}. And the
 * plain key managers Saker gives OpenSSL instead still convert a key once per context, not once per
 * handshake.
 */
class OpenSslKeyMaterialReleaseTest {

    private static final long WAIT_SECONDS = 20;

    @BeforeEach
    void needsOpenSsl() {
        assumeTrue(OpenSsl.isAvailable(), "netty-tcnative is not available on this platform");
    }

    @Test
    void twoFirstHandshakesAtOnceLeaveNoKeyMaterialBehind() throws Exception {
        KeyManagerFactory real = TestTls.keyManagers("server");
        GatedKeyManager gate = new GatedKeyManager((X509ExtendedKeyManager) real.getKeyManagers()[0]);
        SslContext context = SslContexts.build(TlsMaterial.of(new SingleKeyManagerFactory(gate, real)),
                SslProvider.OPENSSL_REFCNT, List.of(TlsSelection.HTTP_1_1), "the test certificate");
        SSLEngine first = context.newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine second = context.newEngine(ByteBufAllocator.DEFAULT);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            gate.arm();
            Future<?> one = threads.submit(() -> handshake(first, gate));
            Future<?> two = threads.submit(() -> handshake(second, gate));
            one.get(WAIT_SECONDS, TimeUnit.SECONDS);
            two.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(gate.calls()).isEqualTo(2);
        } finally {
            threads.shutdownNow();
            ReferenceCountUtil.release(first);
            ReferenceCountUtil.release(second);
            ReferenceCountUtil.release(context);
        }
        assertThat(leaksNoticed()).isEmpty();
    }

    @Test
    void aSingleKeyIsConvertedOncePerContext() throws Exception {
        KeyManagerFactory real = TestTls.keyManagers("server");
        CountingKeyManager counting = new CountingKeyManager((X509ExtendedKeyManager) real.getKeyManagers()[0]);
        SslContext context = SslContexts.build(TlsMaterial.of(new SingleKeyManagerFactory(counting, real)),
                SslProvider.OPENSSL_REFCNT, List.of(TlsSelection.HTTP_1_1), "the test certificate");
        try {
            int before = counting.conversions();
            for (int i = 0; i < 3; i++) {
                SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
                try {
                    handshake(engine, null);
                } finally {
                    ReferenceCountUtil.release(engine);
                }
            }
            // OpenSSL reads the key's encoding when it converts it to native form.
            assertThat(counting.conversions() - before).isEqualTo(1);
        } finally {
            ReferenceCountUtil.release(context);
        }
    }

    /**
     * Netty reports a dropped key material when the next one is made (each resource type checks
     * its own garbage): collect the garbage, make one, then read the reports.
     */
    private static List<String> leaksNoticed() throws SSLException {
        LeakCheckExtension.collect();
        KeyManagerFactory keyManagers = TestTls.keyManagers("server");
        SslContext context = SslContexts.build(TlsMaterial.of(keyManagers), SslProvider.OPENSSL_REFCNT,
                List.of(TlsSelection.HTTP_1_1), "the test certificate");
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
        try {
            handshake(engine, null);
        } finally {
            ReferenceCountUtil.release(engine);
            ReferenceCountUtil.release(context);
        }
        return LeakCheckExtension.collect();
    }

    /** Handshakes {@code server} with a JDK client in memory; tells {@code gate} (if any) when done. */
    private static Void handshake(SSLEngine server, GatedKeyManager gate) throws SSLException {
        SSLEngine client = TestTls.clientContext().createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        server.setUseClientMode(false);
        ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
        ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
        ByteBuffer plain = ByteBuffer.allocate(64 * 1024);
        ByteBuffer nothing = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        // Each round moves every flight one step; a TLS handshake needs a handful.
        for (int round = 0; round < 50; round++) {
            if (done(client) && done(server)) {
                if (gate != null) {
                    gate.handshakeDone();
                }
                return null;
            }
            client.wrap(nothing, toServer);
            runTasks(client);
            toServer.flip();
            server.unwrap(toServer, plain);
            toServer.compact();
            runTasks(server);
            server.wrap(nothing, toClient);
            runTasks(server);
            toClient.flip();
            client.unwrap(toClient, plain);
            toClient.compact();
            runTasks(client);
        }
        throw new AssertionError("handshake did not finish: client " + client.getHandshakeStatus() + ", server "
                + server.getHandshakeStatus());
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    /**
     * Once armed, holds the first handshake reading the private key until a second one reads it
     * too, and the second until the first handshake is done.
     */
    private static final class GatedKeyManager extends DelegatingKeyManager {

        private final AtomicInteger calls = new AtomicInteger();
        private final CountDownLatch secondArrived = new CountDownLatch(1);
        private final CountDownLatch firstDone = new CountDownLatch(1);
        private volatile boolean armed;

        GatedKeyManager(X509ExtendedKeyManager delegate) {
            super(delegate);
        }

        void arm() {
            armed = true;
        }

        int calls() {
            return calls.get();
        }

        void handshakeDone() {
            firstDone.countDown();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            if (armed) {
                int call = calls.incrementAndGet();
                if (call == 1) {
                    await(secondArrived);
                } else if (call == 2) {
                    secondArrived.countDown();
                    await(firstDone);
                }
            }
            return super.getPrivateKey(alias);
        }

        private static void await(CountDownLatch latch) {
            try {
                if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the other handshake never came");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A key manager answering as the one it wraps. */
    private static class DelegatingKeyManager extends X509ExtendedKeyManager {

        private final X509ExtendedKeyManager delegate;

        DelegatingKeyManager(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineServerAlias(keyType, issuers, engine);
        }
    }

    /** Delegates to a real key manager, answering with one private key that counts its encodings. */
    private static final class CountingKeyManager extends DelegatingKeyManager {

        private final AtomicInteger encodings = new AtomicInteger();
        private final PrivateKey key;

        CountingKeyManager(X509ExtendedKeyManager delegate) {
            super(delegate);
            PrivateKey real = delegate.getPrivateKey("server");
            this.key = new PrivateKey() {
                private static final long serialVersionUID = 1L;

                @Override
                public String getAlgorithm() {
                    return real.getAlgorithm();
                }

                @Override
                public String getFormat() {
                    return real.getFormat();
                }

                @Override
                public byte[] getEncoded() {
                    encodings.incrementAndGet();
                    return real.getEncoded();
                }
            };
        }

        int conversions() {
            return encodings.get();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }

    /** A factory handing out one given key manager, as Boot's SSL bundles do. */
    private static final class SingleKeyManagerFactory extends KeyManagerFactory {
        SingleKeyManagerFactory(KeyManager keyManager, KeyManagerFactory like) {
            super(new KeyManagerFactorySpi() {
                @Override
                protected void engineInit(KeyStore keyStore, char[] password) {
                    throw new UnsupportedOperationException("the key manager is given");
                }

                @Override
                protected void engineInit(ManagerFactoryParameters parameters) {
                    throw new UnsupportedOperationException("the key manager is given");
                }

                @Override
                protected KeyManager[] engineGetKeyManagers() {
                    return new KeyManager[] {keyManager};
                }
            }, like.getProvider(), like.getAlgorithm());
        }
    }
}
