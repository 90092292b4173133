package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A servlet that fails after its response was committed must not end it as if it were whole: the
 * connection is aborted, with no final chunk (or fewer bytes than the declared length), on every path.
 */
class FailureAfterCommitTest {

    static final byte[] BLOCK = new byte[20_000];

    static {
        Arrays.fill(BLOCK, (byte) 'x');
    }

    private static ServletServer server;

    @BeforeAll
    static void start() {
        server = ServletServer.start("", ServletContainerConfig.defaults(), ctx -> {
            ctx.addServlet("s", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
                    switch (req.getPathInfo()) {
                        case "/sync" -> {
                            writeAndFlush(resp);
                            throw new IllegalStateException("serializer failed");
                        }
                        case "/checked" -> {
                            writeAndFlush(resp);
                            throw new ServletException("wrapped", new IOException("backend gone"));
                        }
                        case "/declared" -> {
                            resp.setContentLength(BLOCK.length * 3);
                            writeAndFlush(resp);
                            throw new IllegalStateException("short");
                        }
                        case "/async-dispatch" -> writeThenDispatchToAFailure(req, resp, false);
                        case "/async-dispatch-completed-by-listener" -> writeThenDispatchToAFailure(req, resp, true);
                        case "/declared-whole-then-fails" -> {
                            // The declared length is reached after a commit (its tail still buffered),
                            // then a failure: the body is whole and must go out whole.
                            resp.setContentLength(BLOCK.length + 5);
                            writeAndFlush(resp);
                            resp.getOutputStream().write("whole".getBytes(StandardCharsets.US_ASCII));
                            resolveLikeSpring(req, resp, new IllegalStateException("postHandle failed"));
                        }
                        case "/async-timeout" -> {
                            AsyncContext ac = req.startAsync();
                            ac.setTimeout(200);
                            writeAndFlush(resp);
                        }
                        case "/error-page" -> resp.sendError(503);
                        case "/complete" -> {
                            // The declared length is reached while still buffered: the body is whole.
                            resp.setContentLength(5);
                            resp.getOutputStream().write("whole".getBytes(StandardCharsets.US_ASCII));
                            throw new IllegalStateException("failed after the body was complete");
                        }
                        case "/swallowed" -> {
                            writeAndFlush(resp);
                            resolveLikeSpring(req, resp, new IllegalStateException("caught and logged"));
                        }
                        default -> resp.getWriter().print("ok");
                    }
                }
            }).setAsyncSupported(true);
            ctx.getServletRegistration("s").addMapping("/s/*");
            ctx.addServlet("failingErrorPage", new HttpServlet() {
                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    writeAndFlush(resp);
                    throw new IllegalStateException("error page failed");
                }
            }).addMapping("/err");
        }, container -> container.errorPages().addForStatus(503, "/err"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Starts async, writes and flushes past the buffer on a container thread, then dispatches to
     * the same servlet, which fails; {@code completeOnError}: a listener completes the cycle in
     * {@code onError}, as applications commonly do.
     */
    static void writeThenDispatchToAFailure(HttpServletRequest req, HttpServletResponse resp, boolean completeOnError) {
        if (req.getDispatcherType() == DispatcherType.ASYNC) {
            throw new IllegalStateException("async dispatch failed");
        }
        AsyncContext ac = req.startAsync();
        if (completeOnError) {
            ac.addListener(new jakarta.servlet.AsyncListener() {
                @Override
                public void onComplete(jakarta.servlet.AsyncEvent event) {
                }

                @Override
                public void onTimeout(jakarta.servlet.AsyncEvent event) {
                }

                @Override
                public void onError(jakarta.servlet.AsyncEvent event) {
                    event.getAsyncContext().complete();
                }

                @Override
                public void onStartAsync(jakarta.servlet.AsyncEvent event) {
                }
            });
        }
        ac.start(() -> {
            try {
                writeAndFlush(resp);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            ac.dispatch();
        });
    }

    /**
     * What Spring MVC's DispatcherServlet does with an exception it resolves by logging it: it
     * tries to reset the buffer (refused once committed), then records the exception.
     */
    static void resolveLikeSpring(HttpServletRequest req, HttpServletResponse resp, Exception failure) {
        try {
            resp.resetBuffer();
        } catch (IllegalStateException committed) {
            // expected: the response is committed
        }
        req.setAttribute("org.springframework.web.servlet.DispatcherServlet.EXCEPTION", failure);
    }

    static void writeAndFlush(HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getOutputStream().write(BLOCK);
        resp.flushBuffer();
    }

    @Test
    void synchronousFailureAbortsTheChunkedBody() throws Exception {
        assertAbortedChunked(fetchUntilClose(server.port(), "/s/sync"));
        assertAbortedChunked(fetchUntilClose(server.port(), "/s/checked"));
    }

    @Test
    void synchronousFailureWithADeclaredLengthSendsFewerBytes() throws Exception {
        String raw = fetchUntilClose(server.port(), "/s/declared");
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Content-Length: 60000");
        assertThat(raw.length() - raw.indexOf("\r\n\r\n") - 4).isEqualTo(BLOCK.length);
    }

    @Test
    void asyncDispatchFailureAbortsTheChunkedBody() throws Exception {
        assertAbortedChunked(fetchUntilClose(server.port(), "/s/async-dispatch"));
    }

    @Test
    void asyncFailureAfterCommitStaysBrokenWhenAListenerCompletesTheCycle() throws Exception {
        assertAbortedChunked(fetchUntilClose(server.port(), "/s/async-dispatch-completed-by-listener"));
    }

    @Test
    void aBodyThatReachedItsDeclaredLengthAfterACommitGoesOutWholeDespiteALaterFailure() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /s/declared-whole-then-fails HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).hasSize(BLOCK.length + 5);
            assertThat(new String(response.body(), BLOCK.length, 5, StandardCharsets.US_ASCII)).isEqualTo("whole");
        }
    }

    @Test
    void asyncTimeoutAfterCommitAbortsTheChunkedBody() throws Exception {
        assertAbortedChunked(fetchUntilClose(server.port(), "/s/async-timeout"));
    }

    @Test
    void errorPageFailingAfterCommitAbortsTheChunkedBody() throws Exception {
        String raw = fetchUntilClose(server.port(), "/s/error-page");
        assertThat(raw).startsWith("HTTP/1.1 503");
        assertAbortedChunked(raw);
    }

    @Test
    void aFailureTheApplicationSwallowedAfterCommitStillAbortsTheBody() throws Exception {
        assertAbortedChunked(fetchUntilClose(server.port(), "/s/swallowed"));
    }

    @Test
    void aFailureAfterAWholeBufferedBodyStillSendsIt() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /s/complete HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("whole");
        }
    }

    @Test
    void theServerStillAnswersAfterwards() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /s/ok HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
        }
    }

    /** A chunked body that carries the block but ends without the last chunk (the connection closed). */
    static void assertAbortedChunked(String raw) {
        assertThat(raw).contains("Transfer-Encoding: chunked");
        assertThat(raw.length()).isGreaterThan(BLOCK.length);
        assertThat(raw).doesNotEndWith("0\r\n\r\n");
    }

    /** Sends one keep-alive GET and reads until the server closes (the read timeout fails the test otherwise). */
    static String fetchUntilClose(int port, String path, String... headers) throws IOException {
        try (RawClient client = new RawClient(port, 10_000)) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + String.join("", headers) + "\r\n");
            return new String(client.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
