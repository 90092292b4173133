package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
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
import java.util.concurrent.TimeUnit;
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
}
