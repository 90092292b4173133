package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An async timeout fires while the application's own thread is blocked writing to a client that
 * does not read. The timeout aborts the committed response; the engine's output buffer must not be
 * released under the running write: the writer performs the abort as it leaves the engine.
 */
class AsyncTimeoutDuringWriteTest {

    @Test
    void theAbortWaitsForTheBlockedWriterAndTheServerStaysHealthy() throws Exception {
        CountDownLatch timedOut = new CountDownLatch(1);
        CountDownLatch writerDone = new CountDownLatch(1);
        AtomicReference<Throwable> writerEnded = new AtomicReference<>();
        try (ServletServer server = ServletServer.start("", ServletContainerConfig.defaults().withAsyncTimeout(Duration.ofMillis(300)),
                ctx -> {
                    jakarta.servlet.ServletRegistration.Dynamic registration = ctx.addServlet("s", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        if (req.getPathInfo() != null && req.getPathInfo().equals("/ok")) {
                            resp.getWriter().print("ok");
                            return;
                        }
                        AsyncContext ac = req.startAsync();
                        ac.addListener(new AsyncListener() {
                            @Override
                            public void onTimeout(AsyncEvent event) {
                                timedOut.countDown();
                            }

                            @Override
                            public void onComplete(AsyncEvent event) {
                            }

                            @Override
                            public void onError(AsyncEvent event) {
                            }

                            @Override
                            public void onStartAsync(AsyncEvent event) {
                            }
                        });
                        ServletOutputStream out = resp.getOutputStream();
                        // The application's own thread, past the container's: it blocks once the client stops reading.
                        Thread writer = new Thread(() -> {
                            byte[] block = new byte[64 * 1024];
                            try {
                                for (int i = 0; i < 4096; i++) {
                                    out.write(block);
                                }
                            } catch (Throwable t) {
                                writerEnded.set(t);
                            } finally {
                                writerDone.countDown();
                            }
                        }, "app-writer");
                        writer.setDaemon(true);
                        writer.start();
                    }
                    });
                    registration.setAsyncSupported(true);
                    registration.addMapping("/s/*");
                }, container -> { })) {
            RawClient stalled = new RawClient(server.port(), 10_000);
            stalled.send("GET /s/big HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(timedOut.await(10, TimeUnit.SECONDS)).as("timed out; writer ended with %s", writerEnded).isTrue();
            // The timeout's abort waits for the blocked writer; the client leaves, the write fails.
            stalled.close();
            assertThat(writerDone.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(writerEnded.get()).isNotNull();
            assertThat(writerEnded.get()).isNotInstanceOf(io.netty.util.IllegalReferenceCountException.class)
                    .isNotInstanceOf(NullPointerException.class);
            try (RawClient client = new RawClient(server.port())) {
                client.send("GET /s/ok HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("ok");
            }
        }
    }
}
