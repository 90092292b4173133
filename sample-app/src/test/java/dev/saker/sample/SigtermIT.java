package dev.saker.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged sample application, started as its own JVM like in production, receives SIGTERM while
 * a 3-second request is in flight: that request completes with 200, new connections are refused,
 * idle keep-alive connections close, and the process exits within the shutdown phase timeout.
 */
class SigtermIT {

    private static final Pattern STARTED = Pattern.compile("Saker started on port (\\d+) \\(http\\)");

    @Test
    void sigtermDrainsInFlightRequestsAndExits() throws Exception {
        Path jar = Path.of(System.getProperty("saker.sample.jar", "target/saker-sample-app.jar"));
        assertThat(jar).exists();
        Path log = Path.of("target", "sigterm-it-app.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process app = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "--server.port=0",
                "--server.address=127.0.0.1", "--spring.lifecycle.timeout-per-shutdown-phase=20s"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = awaitPort(app, log);
            try (RawClient idle = new RawClient(port); RawClient busy = new RawClient(port, 30_000)) {
                idle.send("GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(idle.read().bodyText()).isEqualTo("Hello, World!");

                busy.send("GET /slow?ms=3000 HTTP/1.1\r\nHost: a\r\n\r\n");
                awaitActiveRequest(port);

                long signalled = System.nanoTime();
                app.destroy(); // SIGTERM
                CompletableFuture<RawClient.Response> slow = CompletableFuture.supplyAsync(() -> {
                    try {
                        return busy.read();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });

                assertThat(idle.closedByServer(10_000)).as("idle keep-alive connection closed").isTrue();
                assertThat(refusesConnections(port)).as("new connections refused while draining").isTrue();

                RawClient.Response response = slow.get(20, TimeUnit.SECONDS);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("slept 3000 ms");
                assertThat(response.header("Connection")).isEqualTo("close");

                assertThat(app.waitFor(25, TimeUnit.SECONDS)).as("process exited").isTrue();
                assertThat(System.nanoTime() - signalled).isLessThan(TimeUnit.SECONDS.toNanos(25));
            }
            assertThat(Files.readString(log)).contains("Commencing graceful shutdown").contains("Graceful shutdown complete");
        } finally {
            app.destroyForcibly();
        }
    }

    /** Reads the port from the start-up log line (bounded: 60 s). */
    private static int awaitPort(Process app, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && app.isAlive()) {
            if (Files.exists(log)) {
                Matcher m = STARTED.matcher(Files.readString(log));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IOException("the application did not start:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    /** Polls the metrics endpoint until one request is active (bounded: 10 s). */
    private static void awaitActiveRequest(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (RawClient probe = new RawClient(port)) {
                probe.send("GET /actuator/metrics/saker.requests.active HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                String body = probe.read().bodyText();
                // The probe itself is one active request: the slow one makes two.
                if (body.contains("\"value\":2.0")) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new AssertionError("the slow request never became active");
    }

    private static boolean refusesConnections(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(500);
                if (socket.getInputStream().read() < 0) {
                    TimeUnit.MILLISECONDS.sleep(20);
                    continue;
                }
            } catch (IOException refused) {
                return true;
            }
        }
        return false;
    }
}
