package dev.saker.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {

    @Test
    void inFlightRequestFinishesWithConnectionCloseWhileIdleOnesCloseAndNewOnesAreRefused() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .dispatchMode(DispatchMode.WORKER_POOL).build(), ex -> {
                    if (ex.path().equals("/slow")) {
                        entered.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                    ex.send("done " + ex.path());
                }).start();
        int port = server.port();
        try (RawClient idle = new RawClient(port); RawClient busy = new RawClient(port)) {
            idle.send("GET /warm HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(idle.read().status()).isEqualTo(200);
            busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<ShutdownResult> result =
                    CompletableFuture.supplyAsync(() -> server.shutdownGracefully(Duration.ofSeconds(10)));

            assertThat(idle.closedByServer(5_000)).as("idle keep-alive connection closed").isTrue();
            awaitRefused(port);
            assertThat(result).isNotDone();

            release.countDown();
            RawClient.Response response = busy.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("done /slow");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(busy.closedByServer(5_000)).isTrue();

            ShutdownResult outcome = result.get(10, TimeUnit.SECONDS);
            assertThat(outcome.idle()).isTrue();
            assertThat(outcome.activeRequestsAtDeadline()).isZero();
            assertThat(server.stats().connectionsClosed(CloseReason.SHUTDOWN)).isEqualTo(2);
        } finally {
            release.countDown();
            server.stop();
        }
    }

    @Test
    void theDeadlineCutsAStuckRequestAndReportsIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.WORKER_POOL).build(), ex -> {
                    entered.countDown();
                    release.await(20, TimeUnit.SECONDS);
                    ex.send("late");
                }).start();
        try (RawClient busy = new RawClient(server.port())) {
            busy.send("GET /stuck HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            ShutdownResult outcome = server.shutdownGracefully(Duration.ofMillis(300));
            assertThat(outcome.idle()).isFalse();
            assertThat(outcome.activeRequestsAtDeadline()).isEqualTo(1);
            assertThat(outcome.took()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(busy.closedByServer(5_000)).isTrue();
            assertThat(server.isRunning()).isFalse();
        } finally {
            release.countDown();
            server.stop();
        }
    }

    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                // Accepted by a listener that is still closing: try again shortly.
                probe.setSoTimeout(200);
                if (probe.getInputStream().read() < 0) {
                    continue;
                }
            } catch (IOException refused) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }
}
