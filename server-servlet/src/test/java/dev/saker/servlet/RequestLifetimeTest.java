package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.servlet.context.SakerServletContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The request stays the application's until the container ends it, even once its response body is
 * complete, with pipelined requests behind it on the same connection; and a thread waiting for a
 * body that will never come is woken.
 */
class RequestLifetimeTest {

    @Test
    void aCompleteBodyDoesNotHandTheRequestToTheNextPipelinedOne() throws Exception {
        List<String> seenAfterBody = new CopyOnWriteArrayList<>();
        List<String> seenByListener = new CopyOnWriteArrayList<>();
        try (ServletServer server = ServletServer.start("", ctx -> {
            ctx.addListener(new ServletRequestListener() {
                @Override
                public void requestDestroyed(ServletRequestEvent sre) {
                    HttpServletRequest req = (HttpServletRequest) sre.getServletRequest();
                    seenByListener.add(req.getRequestURI() + " " + req.getHeader("X-Id"));
                }
            });
            ctx.addServlet("s", new HttpServlet() {
                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    if (req.getMethod().equals("POST")) {
                        // Reads exactly the declared length, never the end of the stream.
                        try (InputStream in = req.getInputStream()) {
                            in.readNBytes(req.getContentLength());
                        }
                    }
                    byte[] body = ("body " + req.getRequestURI()).getBytes(StandardCharsets.UTF_8);
                    resp.setContentLength(body.length);
                    resp.getOutputStream().write(body);
                    // The body is complete; the application still reads its request.
                    seenAfterBody.add(req.getRequestURI() + " " + req.getHeader("X-Id"));
                }
            }).addMapping("/");
        })) {
            try (RawClient client = new RawClient(server.port())) {
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    if (i % 3 == 0) {
                        batch.append("POST /p").append(i).append(" HTTP/1.1\r\nHost: a\r\nX-Id: ").append(i)
                                .append("\r\nContent-Length: 5\r\n\r\nhello");
                    } else {
                        batch.append("GET /g").append(i).append(" HTTP/1.1\r\nHost: a\r\nX-Id: ").append(i).append("\r\n\r\n");
                    }
                }
                client.send(batch.toString());
                for (int i = 0; i < 20; i++) {
                    assertThat(client.read().bodyText()).isEqualTo("body /" + (i % 3 == 0 ? "p" : "g") + i);
                }
            }
            for (int i = 0; i < 20; i++) {
                String expected = "/" + (i % 3 == 0 ? "p" : "g") + i + " " + i;
                assertThat(seenAfterBody.get(i)).isEqualTo(expected);
                assertThat(seenByListener.get(i)).isEqualTo(expected);
            }
        }
    }

    @Test
    void anAsyncBodyReaderIsWokenWhenTheClientLeaves() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        try (ServletServer server = ServletServer.start("", ctx -> {
            ServletRegistration.Dynamic r = ctx.addServlet("upload", new HttpServlet() {
                @Override
                protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
                    AsyncContext async = req.startAsync();
                    async.start(() -> {
                        try (InputStream in = req.getInputStream()) {
                            reading.countDown();
                            in.readAllBytes();
                        } catch (IOException | RuntimeException e) {
                            readFailure.set(e);
                        } finally {
                            done.countDown();
                            async.complete();
                        }
                    });
                }
            });
            r.setAsyncSupported(true);
            r.addMapping("/");
        })) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789");
                assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
                client.socket().setSoLinger(true, 0);
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).as("the reader was woken").isTrue();
            assertThat(readFailure.get()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aRequestAndResponseKeptPastTheirEndThrowInsteadOfShowingTheNextRequest() throws Exception {
        AtomicReference<HttpServletRequest> keptRequest = new AtomicReference<>();
        AtomicReference<HttpServletResponse> keptResponse = new AtomicReference<>();
        try (ServletServer server = ServletServer.start("", ctx -> ctx.addServlet("s", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (keptRequest.get() == null) {
                    keptRequest.set(req);
                    keptResponse.set(resp);
                }
                resp.getWriter().write("seen " + req.getHeader("X-Id") + " " + req.getParameter("q"));
            }
        }).addMapping("/"))) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("GET /?q=first HTTP/1.1\r\nHost: a\r\nX-Id: first\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("seen first first");
                client.send("POST /?q=second HTTP/1.1\r\nHost: a\r\nX-Id: second\r\nContent-Length: 0\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("seen second second");
            }
            HttpServletRequest req = keptRequest.get();
            HttpServletResponse resp = keptResponse.get();
            assertThatThrownBy(() -> req.getHeader("X-Id")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(req::getHeaderNames).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(req::getMethod).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(req::getQueryString).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> req.getParameter("q")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> req.getAttribute("a")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> req.setAttribute("a", "b")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(req::getInputStream).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(req::getCookies).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> req.getSession(false)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> resp.setHeader("X-Late", "1")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> resp.getHeader("Content-Type")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> resp.setStatus(404)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(resp::getOutputStream).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> resp.sendError(500)).isInstanceOf(IllegalStateException.class);
        }
    }

    /** A body stream kept past its request must not read the next request's body on the connection. */
    @Test
    void aKeptInputStreamThrowsInsteadOfReadingTheNextRequestsBody() throws Exception {
        AtomicReference<jakarta.servlet.ServletInputStream> kept = new AtomicReference<>();
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch keptTried = new CountDownLatch(1);
        AtomicReference<Throwable> keptRead = new AtomicReference<>();
        try (ServletServer server = ServletServer.start("", ctx -> ctx.addServlet("s", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (kept.get() == null) {
                    kept.set(req.getInputStream());
                    resp.getWriter().write("first");
                    return;
                }
                // The second request's body is waiting: the first request's stream tries to take it.
                secondStarted.countDown();
                try {
                    keptTried.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                resp.getWriter().write("second " + new String(req.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
        }).addMapping("/"))) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
                assertThat(client.read().bodyText()).isEqualTo("first");
                client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nsecret");
                assertThat(secondStarted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                try {
                    kept.get().read(new byte[16], 0, 16);
                } catch (Throwable t) {
                    keptRead.set(t);
                }
                keptTried.countDown();
                assertThat(keptRead.get()).isInstanceOf(IllegalStateException.class);
                assertThat(client.read().bodyText()).isEqualTo("second secret");
            }
        }
    }

    @Test
    void anAsyncRequestWhoseClientLeftSeesItsOwnHeadWhileOtherClientsReuseBuffers() throws Exception {
        List<String> seenAfterLeaving = new CopyOnWriteArrayList<>();
        AtomicInteger destroyed = new AtomicInteger();
        CountDownLatch asyncStarted = new CountDownLatch(1);
        CountDownLatch othersServed = new CountDownLatch(1);
        SakerServletContext context = new SakerServletContext("", getClass().getClassLoader());
        context.addListener(new ServletRequestListener() {
            @Override
            public void requestDestroyed(ServletRequestEvent sre) {
                if (((HttpServletRequest) sre.getServletRequest()).getRequestURI().equals("/async")) {
                    destroyed.incrementAndGet();
                }
            }
        });
        ServletRegistration.Dynamic r = context.addServlet("s", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (!req.getRequestURI().equals("/async")) {
                    resp.getWriter().write("plain " + req.getHeader("X-Id"));
                    return;
                }
                AsyncContext async = req.startAsync();
                async.addListener(new AsyncListener() {
                    @Override
                    public void onError(AsyncEvent event) {
                        // Heard as the client leaves; read only once the engine has released the
                        // connection (a keep-alive timeout later) and other clients reused its buffers.
                        try {
                            othersServed.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        HttpServletRequest left = (HttpServletRequest) event.getSuppliedRequest();
                        try {
                            seenAfterLeaving.add(left.getHeader("X-Id") + " " + left.getRequestURI() + " "
                                    + left.getQueryString());
                        } catch (RuntimeException e) {
                            seenAfterLeaving.add(e.toString());
                        }
                    }

                    @Override
                    public void onComplete(AsyncEvent event) {
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
                asyncStarted.countDown();
            }
        });
        r.setAsyncSupported(true);
        r.addMapping("/");
        // The connection's exchange is released a keep-alive timeout after its client left.
        SakerServletContainer container = new SakerServletContainer(context,
                ServletContainerConfig.defaults().withAsyncTimeout(Duration.ofMinutes(5)));
        container.start();
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .keepAliveTimeout(Duration.ofMillis(100)).dispatchMode(DispatchMode.WORKER_POOL).workerThreads(8).build(),
                container).start();
        try {
            try (RawClient a = new RawClient(server.port())) {
                a.send("GET /async?who=a HTTP/1.1\r\nHost: a\r\nX-Id: client-a-" + "a".repeat(40) + "\r\n\r\n");
                assertThat(asyncStarted.await(5, TimeUnit.SECONDS)).isTrue();
            }
            // The abandoned exchange ends (its head buffer released) once the sweep finds it a
            // keep-alive timeout old; other clients' heads then land in the pooled buffers it lived in.
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
            for (int i = 0; i < 200; i++) {
                try (RawClient b = new RawClient(server.port())) {
                    b.send("GET /plain?who=b HTTP/1.1\r\nHost: a\r\nX-Id: client-b-" + "b".repeat(40) + "\r\n\r\n");
                    assertThat(b.read().bodyText()).startsWith("plain client-b-");
                }
            }
            othersServed.countDown();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> !seenAfterLeaving.isEmpty())).isTrue();
            assertThat(seenAfterLeaving).containsExactly("client-a-" + "a".repeat(40) + " /async who=a");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> destroyed.get() == 1)).isTrue();
        } finally {
            server.stop();
            container.stop();
        }
        assertThat(destroyed.get()).isEqualTo(1);
    }
}
