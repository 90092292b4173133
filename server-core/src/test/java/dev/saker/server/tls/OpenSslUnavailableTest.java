package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.lifecycle.ServerStartException;
import dev.saker.server.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Provider choice on a JVM where OpenSSL does not load, made so in a child JVM with Netty's
 * {@code io.netty.handler.ssl.noOpenSsl} switch (OpenSSL is loaded once per JVM, so it cannot be
 * turned off in this one).
 */
class OpenSslUnavailableTest {

    @Test
    void openSslFailsTheStartClearlyAndAutoFallsBackToTheJdk() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-Dio.netty.handler.ssl.noOpenSsl=true",
                "-cp", System.getProperty("java.class.path"), Child.class.getName()))
                .redirectErrorStream(true).start();
        child.getOutputStream().close();
        String output;
        try (InputStream in = child.getInputStream()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            output = all.toString(StandardCharsets.UTF_8);
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("OPENSSL refused: cannot start TLS on port 0: TLS provider OPENSSL is not available")
                .contains("netty-tcnative-boringssl-static").contains("use provider AUTO or JDK")
                .contains("AUTO serves with JDK");
    }

    /** Runs in the child JVM. */
    public static final class Child {
        public static void main(String[] args) {
            ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1);
            try {
                SakerServer.create(config.tls(TlsConfig.builder(TestTls.material("server"))
                        .provider(TlsProvider.OPENSSL).build()).build(), ex -> ex.send("ok")).start().stop();
                System.out.println("OPENSSL started");
            } catch (ServerStartException e) {
                System.out.println("OPENSSL refused: " + e.getMessage());
            }
            SakerServer auto = SakerServer.create(config.tls(TlsConfig.builder(TestTls.material("server")).build()).build(),
                    ex -> ex.send("ok")).start();
            System.out.println("AUTO serves with " + auto.tlsProvider());
            auto.stop();
        }
    }
}
