package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * However an async request ends (complete, dispatch, timeout, an error thrown by the dispatched
 * servlet, by the dispatch that started async, or met on a container thread), its AsyncListener
 * hears onComplete and its ServletRequestListener requestDestroyed exactly once; and a WriteListener
 * whose client leaves hears onError and then nothing more.
 */
class AsyncErrorPathTest {

    /** Counts per event name ("onComplete", "destroyed" ...). */
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    private void count(String event) {
        counts.computeIfAbsent(event, k -> new AtomicInteger()).incrementAndGet();
    }

    private int count0(String event) {
        AtomicInteger n = counts.get(event);
        return n == null ? 0 : n.get();
    }

    private AsyncListener countingListener() {
        return new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                count("onComplete");
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                count("onTimeout");
            }

            @Override
            public void onError(AsyncEvent event) {
                count("onError");
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        };
    }

    /** The servlet at /s does what {@code path} says; /done writes "done"; /throw throws. */
    private ServletServer start() {
        return ServletServer.start("", ServletContainerConfig.defaults().withAsyncTimeout(Duration.ofSeconds(3)), ctx -> {
            ctx.addListener(new ServletRequestListener() {
                @Override
                public void requestDestroyed(ServletRequestEvent sre) {
                    count("destroyed");
                }
            });
            ServletRegistration.Dynamic r = ctx.addServlet("s", new HttpServlet() {
                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    String path = req.getServletPath();
                    if (path.equals("/done")) {
                        resp.getWriter().write("done");
                        return;
                    }
                    if (path.equals("/throw")) {
                        throw new IllegalStateException("dispatched servlet fails");
                    }
                    AsyncContext async = req.startAsync();
                    async.addListener(countingListener());
                    switch (path) {
                        case "/complete" -> async.start(() -> {
                            try {
                                async.getResponse().getWriter().write("completed");
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                            async.complete();
                        });
                        case "/dispatch" -> async.start(() -> async.dispatch("/done"));
                        case "/dispatch-throws" -> async.start(() -> async.dispatch("/throw"));
                        case "/timeout" -> async.setTimeout(100);
                        case "/throw-after-start" -> throw new IllegalStateException("fails after startAsync");
                        case "/write-listener-throws" -> resp.getOutputStream().setWriteListener(new WriteListener() {
                            @Override
                            public void onWritePossible() {
                                throw new IllegalStateException("onWritePossible fails");
                            }

                            @Override
                            public void onError(Throwable t) {
                                count("writeOnError");
                            }
                        });
                        default -> throw new IllegalArgumentException(path);
                    }
                }
            });
            r.setAsyncSupported(true);
            r.addMapping("/complete", "/dispatch", "/dispatch-throws", "/timeout", "/throw-after-start",
                    "/write-listener-throws", "/done", "/throw");
        }, c -> { });
    }

    private void assertEndsOnce(String path, int status, int errors, int timeouts) throws Exception {
        counts.clear();
        try (ServletServer server = start()) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.read().status()).as(path).isEqualTo(status);
            }
            assertThat(Poll.until(Duration.ofSeconds(10), () -> count0("destroyed") >= 1)).as(path).isTrue();
        }
        // Checked once the server stopped: a late second end would have happened by now.
        assertThat(count0("onComplete")).as(path + " onComplete").isEqualTo(1);
        assertThat(count0("destroyed")).as(path + " requestDestroyed").isEqualTo(1);
        assertThat(count0("onError")).as(path + " onError").isEqualTo(errors);
        assertThat(count0("onTimeout")).as(path + " onTimeout").isEqualTo(timeouts);
    }

    @Test
    void complete() throws Exception {
        assertEndsOnce("/complete", 200, 0, 0);
    }

    @Test
    void dispatch() throws Exception {
        assertEndsOnce("/dispatch", 200, 0, 0);
    }

    @Test
    void timeout() throws Exception {
        assertEndsOnce("/timeout", 500, 0, 1);
    }

    @Test
    void errorThrownByTheDispatchedServlet() throws Exception {
        assertEndsOnce("/dispatch-throws", 500, 1, 0);
    }

    @Test
    void errorThrownAfterStartAsync() throws Exception {
        assertEndsOnce("/throw-after-start", 500, 1, 0);
    }

    @Test
    void errorOnAContainerThread() throws Exception {
        assertEndsOnce("/write-listener-throws", 500, 1, 0);
        assertThat(count0("writeOnError")).isEqualTo(1);
    }

    @Test
    void aWriteListenerHearsOnErrorWhenTheClientLeavesAndThenNothingMore() throws Exception {
        counts.clear();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch writeError = new CountDownLatch(1);
        AtomicInteger writesAtError = new AtomicInteger(-1);
        try (ServletServer server = ServletServer.start("", ctx -> {
            ctx.addListener(new ServletRequestListener() {
                @Override
                public void requestDestroyed(ServletRequestEvent sre) {
                    count("destroyed");
                }
            });
            ServletRegistration.Dynamic r = ctx.addServlet("w", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    AsyncContext async = req.startAsync();
                    async.setTimeout(0);
                    async.addListener(countingListener());
                    ServletOutputStream out = resp.getOutputStream();
                    byte[] chunk = new byte[64 * 1024];
                    out.setWriteListener(new WriteListener() {
                        @Override
                        public void onWritePossible() throws IOException {
                            count("onWritePossible");
                            // Writes without end: only the client leaving stops it.
                            while (out.isReady()) {
                                out.write(chunk);
                                writing.countDown();
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            writesAtError.set(count0("onWritePossible"));
                            count("writeOnError");
                            writeError.countDown();
                            async.complete();
                        }
                    });
                }
            });
            r.setAsyncSupported(true);
            r.addMapping("/");
        })) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
                client.socket().setSoLinger(true, 0);
            }
            assertThat(writeError.await(10, TimeUnit.SECONDS)).as("WriteListener.onError").isTrue();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> count0("destroyed") == 1)).isTrue();
        }
        assertThat(count0("writeOnError")).isEqualTo(1);
        assertThat(count0("onWritePossible")).as("no onWritePossible after onError").isEqualTo(writesAtError.get());
        assertThat(count0("onError")).as("AsyncListener.onError").isEqualTo(1);
        assertThat(count0("onComplete")).isEqualTo(1);
        assertThat(count0("destroyed")).isEqualTo(1);
    }
}
