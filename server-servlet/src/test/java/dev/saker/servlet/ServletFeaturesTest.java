package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServletFeaturesTest {

    /** A servlet written as a lambda. */
    interface Handler {
        void handle(HttpServletRequest req, HttpServletResponse resp) throws Exception;
    }

    static HttpServlet servlet(Handler handler) {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                try {
                    handler.handle(req, resp);
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    static RawClient.Response request(ServletServer server, String raw) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send(raw);
            return client.read();
        }
    }

    static RawClient.Response get(ServletServer server, String target) throws IOException {
        return request(server, "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
    }

    @Test
    void errorPagesByStatusExceptionAndGlobal() throws Exception {
        Handler errorPage = (req, resp) -> resp.getWriter().print("error " + req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)
                + " " + req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + " " + req.getDispatcherType()
                + " " + (req.getAttribute(RequestDispatcher.ERROR_EXCEPTION) == null ? "-"
                        : req.getAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE)));
        try (ServletServer server = ServletServer.start("", ServletContainerConfig.defaults(), ctx -> {
            ctx.addServlet("error", servlet(errorPage)).addMapping("/error");
            ctx.addServlet("missing", servlet((req, resp) -> resp.sendError(404, "nope"))).addMapping("/missing");
            ctx.addServlet("teapot", servlet((req, resp) -> resp.sendError(418))).addMapping("/teapot");
            ctx.addServlet("boom", servlet((req, resp) -> {
                throw new IllegalArgumentException("bad");
            })).addMapping("/boom");
        }, container -> {
            container.errorPages().addForStatus(404, "/error");
            container.errorPages().addForException(IllegalArgumentException.class, "/error");
        })) {
            RawClient.Response missing = get(server, "/missing");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.bodyText()).isEqualTo("error 404 /missing ERROR -");
            RawClient.Response boom = get(server, "/boom");
            assertThat(boom.status()).isEqualTo(500);
            assertThat(boom.bodyText()).isEqualTo("error 500 /boom ERROR class java.lang.IllegalArgumentException");
            RawClient.Response teapot = get(server, "/teapot");
            assertThat(teapot.status()).isEqualTo(418);
            assertThat(teapot.bodyText()).isEqualTo("418 I'm a teapot".equals(teapot.bodyText()) ? teapot.bodyText() : "418 Client Error");
            assertThat(get(server, "/nothing-mapped").status()).isEqualTo(404);
        }
    }

    @Test
    void forwardAndIncludeExposeTheSpecAttributes() throws Exception {
        try (ServletServer server = ServletServer.start("/ctx", ctx -> {
            ctx.addServlet("front", servlet((req, resp) -> {
                if (req.getParameter("include") != null) {
                    resp.getWriter().print("[");
                    req.getRequestDispatcher("/target/inc?x=2").include(req, resp);
                    resp.getWriter().print("]");
                } else {
                    req.getRequestDispatcher("/target/fwd?x=1").forward(req, resp);
                    resp.getWriter().print("ignored after forward");
                }
            })).addMapping("/front");
            ctx.addServlet("target", servlet((req, resp) -> {
                resp.setHeader("X-From-Target", "1");
                resp.getWriter().print(req.getDispatcherType() + " " + req.getRequestURI() + " " + req.getServletPath()
                        + " " + req.getPathInfo() + " x=" + req.getParameter("x") + " fwd=" + req.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI)
                        + " inc=" + req.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI));
            })).addMapping("/target/*");
        })) {
            RawClient.Response forwarded = get(server, "/ctx/front");
            assertThat(forwarded.bodyText()).isEqualTo("FORWARD /ctx/target/fwd /target /fwd x=1 fwd=/ctx/front inc=null");
            assertThat(forwarded.header("X-From-Target")).isEqualTo("1");
            RawClient.Response included = get(server, "/ctx/front?include=1");
            assertThat(included.bodyText()).isEqualTo("[INCLUDE /ctx/front /front null x=2 fwd=null inc=/ctx/target/inc]");
            assertThat(included.header("X-From-Target")).isNull();
        }
    }

    @Test
    void sessionsUseCookiesChangeIdsAndTellListeners() throws Exception {
        AtomicInteger created = new AtomicInteger();
        AtomicInteger destroyed = new AtomicInteger();
        try (ServletServer server = ServletServer.start("", ctx -> {
            ctx.getSessionCookieConfig().setAttribute("SameSite", "Lax");
            ctx.addListener(new HttpSessionListener() {
                @Override
                public void sessionCreated(HttpSessionEvent se) {
                    created.incrementAndGet();
                }

                @Override
                public void sessionDestroyed(HttpSessionEvent se) {
                    destroyed.incrementAndGet();
                }
            });
            ctx.addServlet("s", servlet((req, resp) -> {
                switch (req.getPathInfo()) {
                    case "/put":
                        req.getSession().setAttribute("v", req.getParameter("v"));
                        resp.getWriter().print("new=" + req.getSession().isNew());
                        break;
                    case "/get":
                        HttpSession s = req.getSession(false);
                        resp.getWriter().print(s == null ? "none" : String.valueOf(s.getAttribute("v")));
                        break;
                    case "/rotate":
                        resp.getWriter().print(req.changeSessionId());
                        break;
                    default:
                        req.getSession().invalidate();
                        resp.getWriter().print("bye");
                }
            })).addMapping("/s/*");
        })) {
            RawClient.Response put = get(server, "/s/put?v=42");
            String setCookie = put.header("Set-Cookie");
            assertThat(setCookie).startsWith("JSESSIONID=").contains("Path=/").contains("HttpOnly").contains("SameSite=Lax");
            String id = setCookie.substring("JSESSIONID=".length(), setCookie.indexOf(';'));
            assertThat(put.bodyText()).isEqualTo("new=true");
            String cookie = "Cookie: JSESSIONID=" + id + "\r\n";
            assertThat(request(server, "GET /s/get HTTP/1.1\r\nHost: a\r\n" + cookie + "\r\n").bodyText()).isEqualTo("42");
            RawClient.Response rotated = request(server, "GET /s/rotate HTTP/1.1\r\nHost: a\r\n" + cookie + "\r\n");
            String newId = rotated.bodyText();
            assertThat(newId).isNotEqualTo(id);
            assertThat(rotated.header("Set-Cookie")).startsWith("JSESSIONID=" + newId + ";");
            assertThat(request(server, "GET /s/get HTTP/1.1\r\nHost: a\r\n" + cookie + "\r\n").bodyText()).isEqualTo("none");
            String newCookie = "Cookie: JSESSIONID=" + newId + "\r\n";
            assertThat(request(server, "GET /s/get HTTP/1.1\r\nHost: a\r\n" + newCookie + "\r\n").bodyText()).isEqualTo("42");
            assertThat(request(server, "GET /s/end HTTP/1.1\r\nHost: a\r\n" + newCookie + "\r\n").bodyText()).isEqualTo("bye");
            assertThat(request(server, "GET /s/get HTTP/1.1\r\nHost: a\r\n" + newCookie + "\r\n").bodyText()).isEqualTo("none");
            assertThat(created.get()).isEqualTo(1);
            assertThat(destroyed.get()).isEqualTo(1);
            assertThat(get(server, "/s/get").header("Set-Cookie")).isNull();
        }
    }

    @Test
    void idleSessionsExpireAndIdChangesAreAnnounced() throws Exception {
        CountDownLatch destroyed = new CountDownLatch(1);
        AtomicReference<String> idChange = new AtomicReference<>();
        try (ServletServer server = ServletServer.start("", ServletContainerConfig.defaults()
                .withSessionSweepInterval(java.time.Duration.ofMillis(50)), ctx -> {
                    ctx.addListener(new HttpSessionListener() {
                        @Override
                        public void sessionDestroyed(HttpSessionEvent se) {
                            destroyed.countDown();
                        }
                    });
                    ctx.addListener((jakarta.servlet.http.HttpSessionIdListener) (event, oldId) ->
                            idChange.set(oldId + "->" + event.getSession().getId()));
                    ctx.addServlet("s", servlet((req, resp) -> {
                        HttpSession session = req.getSession();
                        session.setMaxInactiveInterval(1);
                        String old = session.getId();
                        resp.getWriter().print(old + " " + req.changeSessionId());
                    })).addMapping("/");
                }, c -> { })) {
            String[] ids = get(server, "/").bodyText().split(" ");
            assertThat(idChange.get()).isEqualTo(ids[0] + "->" + ids[1]);
            assertThat(server.container().sessions().size()).isEqualTo(1);
            assertThat(destroyed.await(5, TimeUnit.SECONDS)).as("session expired by the sweep").isTrue();
            assertThat(server.container().sessions().size()).isZero();
        }
    }

    @Test
    void asyncCompletesFromAnotherThreadDispatchesAndTimesOut() throws Exception {
        AtomicReference<String> timedOut = new AtomicReference<>();
        try (ServletServer server = ServletServer.start("", ctx -> {
            ServletRegistration.Dynamic async = ctx.addServlet("async", servlet((req, resp) -> {
                String mode = req.getPathInfo();
                if (req.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC) {
                    resp.getWriter().print("dispatched " + req.getAttribute(AsyncContext.ASYNC_REQUEST_URI));
                    return;
                }
                AsyncContext ac = req.startAsync();
                switch (mode) {
                    case "/complete":
                        CompletableFuture.runAsync(() -> {
                            try {
                                ac.getResponse().getWriter().print("completed later");
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                            ac.complete();
                        });
                        break;
                    case "/dispatch":
                        ac.start(ac::dispatch);
                        break;
                    default:
                        ac.setTimeout(200);
                        ac.addListener(new AsyncListener() {
                            @Override
                            public void onComplete(AsyncEvent event) {
                            }

                            @Override
                            public void onTimeout(AsyncEvent event) {
                                timedOut.set("timeout seen");
                            }

                            @Override
                            public void onError(AsyncEvent event) {
                            }

                            @Override
                            public void onStartAsync(AsyncEvent event) {
                            }
                        });
                }
            }));
            async.setAsyncSupported(true);
            async.addMapping("/async/*");
        })) {
            assertThat(get(server, "/async/complete").bodyText()).isEqualTo("completed later");
            assertThat(get(server, "/async/dispatch").bodyText()).isEqualTo("dispatched /async/dispatch");
            RawClient.Response timeout = get(server, "/async/timeout");
            assertThat(timeout.status()).isEqualTo(500);
            assertThat(timedOut.get()).isEqualTo("timeout seen");
        }
    }

    @Test
    void asyncIsRefusedWithoutAsyncSupport() throws Exception {
        try (ServletServer server = ServletServer.start("", ctx ->
                ctx.addServlet("sync", servlet((req, resp) -> req.startAsync())).addMapping("/"))) {
            assertThat(get(server, "/").status()).isEqualTo(500);
        }
    }

    @Test
    void multipartSpillsBigPartsToDiskDeletesThemAndEnforcesLimits(@TempDir Path dir) throws Exception {
        AtomicReference<Path> seenDir = new AtomicReference<>(dir);
        try (ServletServer server = ServletServer.start("", ctx -> {
            ServletRegistration.Dynamic upload = ctx.addServlet("upload", servlet((req, resp) -> {
                Part file = req.getPart("file");
                long tempFiles;
                try (Stream<Path> files = Files.list(seenDir.get())) {
                    tempFiles = files.count();
                }
                long sum = 0;
                try (InputStream in = file.getInputStream()) {
                    int b;
                    while ((b = in.read()) >= 0) {
                        sum += b;
                    }
                }
                resp.setCharacterEncoding("UTF-8");
                resp.getWriter().print(req.getParameter("title") + " " + file.getSubmittedFileName() + " " + file.getSize()
                        + " " + file.getContentType() + " sum=" + sum + " temp=" + tempFiles);
            }));
            upload.setMultipartConfig(new MultipartConfigElement(dir.toString(), 1_000_000, 2_000_000, 1024));
            upload.addMapping("/upload");
        })) {
            byte[] data = new byte[100_000];
            long expectedSum = 0;
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i % 251);
                expectedSum += data[i] & 0xFF;
            }
            RawClient.Response ok = request(server, multipart(data));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.bodyText()).isEqualTo("Über a.bin 100000 application/octet-stream sum=" + expectedSum + " temp=1");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).as("temporary part files deleted after the request").isZero();
            }
            RawClient.Response tooBig = request(server, multipart(new byte[1_500_000]));
            assertThat(tooBig.status()).isEqualTo(413);
        }
    }

    private static byte[] multipart(byte[] file) {
        String boundary = "XyZzY";
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nÜber\r\n--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        String requestHead = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=" + boundary
                + "\r\nContent-Length: " + (h.length + file.length + t.length) + "\r\n\r\n";
        byte[] rh = requestHead.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[rh.length + h.length + file.length + t.length];
        System.arraycopy(rh, 0, all, 0, rh.length);
        System.arraycopy(h, 0, all, rh.length, h.length);
        System.arraycopy(file, 0, all, rh.length + h.length, file.length);
        System.arraycopy(t, 0, all, rh.length + h.length + file.length, t.length);
        return all;
    }

    private static RawClient.Response request(ServletServer server, byte[] raw) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send(raw);
            return client.read();
        }
    }

    @Test
    void responseBufferingCommitAndHeaders() throws Exception {
        try (ServletServer server = ServletServer.start("", ctx -> ctx.addServlet("r", servlet((req, resp) -> {
            switch (req.getPathInfo()) {
                case "/small":
                    resp.setContentType("text/plain");
                    resp.setCharacterEncoding("UTF-8");
                    resp.getWriter().print("héllo");
                    break;
                case "/big":
                    resp.setContentType("application/octet-stream");
                    resp.getOutputStream().write(new byte[50_000]);
                    break;
                case "/reset":
                    resp.setHeader("X-Gone", "1");
                    resp.getWriter().print("gone");
                    resp.reset();
                    resp.setStatus(201);
                    resp.getWriter().print("kept");
                    break;
                case "/redirect":
                    resp.sendRedirect("next?a=1");
                    break;
                case "/cookie":
                    Cookie c = new Cookie("c", "v");
                    c.setAttribute("SameSite", "None");
                    c.setSecure(true);
                    c.setAttribute("Partitioned", "");
                    c.setMaxAge(60);
                    resp.addCookie(c);
                    break;
                case "/length":
                    resp.setContentLength(3);
                    resp.getOutputStream().write("abcdef".getBytes(StandardCharsets.US_ASCII));
                    break;
                case "/trailers":
                    resp.setTrailerFields(() -> Map.of("x-sum", "7"));
                    resp.getWriter().print("body");
                    break;
                default:
                    resp.setStatus(204);
            }
        })).addMapping("/r/*"))) {
            RawClient.Response small = get(server, "/r/small");
            assertThat(small.header("Content-Type")).isEqualTo("text/plain;charset=UTF-8");
            assertThat(small.header("Content-Length")).isEqualTo("6");
            assertThat(small.bodyText()).isEqualTo("héllo");
            RawClient.Response big = get(server, "/r/big");
            assertThat(big.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(big.body()).hasSize(50_000);
            RawClient.Response reset = get(server, "/r/reset");
            assertThat(reset.status()).isEqualTo(201);
            assertThat(reset.header("X-Gone")).isNull();
            assertThat(reset.bodyText()).isEqualTo("kept");
            RawClient.Response redirect = get(server, "/r/redirect");
            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.header("Location")).isEqualTo("/r/next?a=1");
            String cookie = get(server, "/r/cookie").header("Set-Cookie");
            assertThat(cookie).startsWith("c=v; ").contains("Max-Age=60").contains("Expires=").contains("SameSite=None")
                    .contains("Secure").contains("Partitioned");
            RawClient.Response length = get(server, "/r/length");
            assertThat(length.header("Content-Length")).isEqualTo("3");
            assertThat(length.bodyText()).isEqualTo("abc");
            RawClient.Response trailers = get(server, "/r/trailers");
            assertThat(trailers.bodyText()).isEqualTo("body");
            assertThat(trailers.trailers()).containsEntry("x-sum", "7");
            RawClient.Response none = get(server, "/r/none");
            assertThat(none.status()).isEqualTo(204);
            assertThat(none.header("Content-Length")).isNull();
        }
    }

    @Test
    void loadOnStartupRunsInOrderAtStart() throws Exception {
        StringBuilder order = new StringBuilder();
        CountDownLatch ready = new CountDownLatch(2);
        try (ServletServer server = ServletServer.start("", ctx -> {
            ctx.addServlet("second", new HttpServlet() {
                @Override
                public void init() {
                    order.append("second;");
                    ready.countDown();
                }
            }).setLoadOnStartup(2);
            ctx.addServlet("first", new HttpServlet() {
                @Override
                public void init() {
                    order.append("first;");
                    ready.countDown();
                }
            }).setLoadOnStartup(1);
        })) {
            assertThat(ready.await(1, TimeUnit.SECONDS)).isTrue();
            assertThat(order.toString()).isEqualTo("first;second;");
            assertThat(server.port()).isPositive();
        }
    }
}
