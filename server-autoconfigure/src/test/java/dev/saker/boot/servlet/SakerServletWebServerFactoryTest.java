package dev.saker.boot.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.Cookie;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.Http2;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.servlet.ContextPath;
import org.springframework.http.HttpStatus;

/** The WebServer contract Spring Boot relies on, checked against a real Saker server on loopback. */
class SakerServletWebServerFactoryTest extends FactoryTestSupport {

    private static RawClient.Response get(WebServer server, String path, String extra) throws IOException {
        try (RawClient client = new RawClient(server.getPort())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n");
            return client.read();
        }
    }

    @Test
    void getWebServerInitializesWithoutBindingAndStartBinds() throws Exception {
        CountDownLatch initialized = new CountDownLatch(1);
        webServer = factory().getWebServer(context -> initialized.countDown(), servlet("/hello", text("hi")));
        assertThat(initialized.getCount()).as("initializers ran in getWebServer").isZero();
        assertThat(webServer.getPort()).isEqualTo(-1);
        webServer.start();
        assertThat(webServer.getPort()).isPositive();
        assertThat(get(webServer, "/hello", "").bodyText()).isEqualTo("hi");
    }

    @Test
    void loadOnStartupServletsInitializeOnStartNotBefore() {
        CountDownLatch init = new CountDownLatch(1);
        webServer = factory().getWebServer(context -> context.addServlet("eager", new HttpServlet() {
            @Override
            public void init() {
                init.countDown();
            }
        }).setLoadOnStartup(1));
        assertThat(init.getCount()).isEqualTo(1);
        webServer.start();
        assertThat(init.getCount()).isZero();
    }

    @Test
    void stopReleasesThePortKeepsTheContextAndStartsAgain() throws Exception {
        webServer = factory().getWebServer(servlet("/", text("again")));
        webServer.start();
        int port = webServer.getPort();
        webServer.stop();
        assertThat(webServer.getPort()).isEqualTo(-1);
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        }
        webServer.start();
        assertThat(get(webServer, "/", "").bodyText()).isEqualTo("again");
    }

    @Test
    void aTakenPortRaisesPortInUseException() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            SakerServletWebServerFactory factory = factory();
            factory.setPort(taken.getLocalPort());
            webServer = factory.getWebServer();
            assertThatThrownBy(webServer::start).isInstanceOf(PortInUseException.class)
                    .satisfies(e -> assertThat(((PortInUseException) e).getPort()).isEqualTo(taken.getLocalPort()));
        }
    }

    @Test
    void contextPathAndDisplayNameAreApplied() throws Exception {
        SakerServletWebServerFactory factory = factory();
        factory.setContextPath("/shop");
        factory.setDisplayName("the shop");
        webServer = factory.getWebServer(servlet("/items", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print(req.getContextPath() + " " + req.getServletContext().getServletContextName());
            }
        }));
        webServer.start();
        assertThat(get(webServer, "/shop/items", "").bodyText()).isEqualTo("/shop the shop");
        assertThat(get(webServer, "/items", "").status()).isEqualTo(404);
        assertThat(ContextPath.of("/shop").toString()).isEqualTo(factory.getSettings().getContextPath().toString());
    }

    @Test
    void errorPagesByStatusAndExceptionAndGlobal() throws Exception {
        SakerServletWebServerFactory factory = factory();
        factory.addErrorPages(new ErrorPage(HttpStatus.NOT_FOUND, "/notfound"), new ErrorPage(IllegalStateException.class, "/bad"),
                new ErrorPage("/global"));
        webServer = factory.getWebServer(servlet("/notfound", text("custom 404")), servlet("/bad", text("custom bad")),
                servlet("/global", text("global")), servlet("/throw", new HttpServlet() {
                    @Override
                    protected void service(HttpServletRequest req, HttpServletResponse resp) {
                        throw new IllegalStateException("boom");
                    }
                }), servlet("/teapot", new HttpServlet() {
                    @Override
                    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        resp.sendError(418);
                    }
                }));
        webServer.start();
        RawClient.Response missing = get(webServer, "/missing", "");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyText()).isEqualTo("custom 404");
        RawClient.Response thrown = get(webServer, "/throw", "");
        assertThat(thrown.status()).isEqualTo(500);
        assertThat(thrown.bodyText()).isEqualTo("custom bad");
        RawClient.Response teapot = get(webServer, "/teapot", "");
        assertThat(teapot.status()).isEqualTo(418);
        assertThat(teapot.bodyText()).isEqualTo("global");
    }

    @Test
    void sessionSettingsShapeTheSessionCookie() throws Exception {
        SakerServletWebServerFactory factory = factory();
        org.springframework.boot.web.server.servlet.Session session = new org.springframework.boot.web.server.servlet.Session();
        session.setTimeout(Duration.ofMinutes(5));
        session.getCookie().setName("SID");
        session.getCookie().setSameSite(Cookie.SameSite.STRICT);
        session.getCookie().setSecure(true);
        factory.setSession(session);
        webServer = factory.getWebServer(servlet("/", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print(req.getSession().getMaxInactiveInterval());
            }
        }));
        webServer.start();
        RawClient.Response response = get(webServer, "/", "");
        assertThat(response.bodyText()).isEqualTo("300");
        assertThat(response.header("Set-Cookie")).startsWith("SID=").contains("SameSite=Strict").contains("Secure")
                .contains("HttpOnly");
    }

    @Test
    void compressionFollowsServerCompressionSettings() throws Exception {
        SakerServletWebServerFactory factory = factory();
        Compression compression = new Compression();
        compression.setEnabled(true);
        factory.setCompression(compression);
        String body = "compress me please ".repeat(400);
        webServer = factory.getWebServer(servlet("/", text(body)));
        webServer.start();
        RawClient.Response gz = get(webServer, "/", "Accept-Encoding: gzip\r\n");
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo(body);
    }

    @Test
    void gracefulShutdownWaitsForActiveRequestsAndReportsIdle() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SakerServletWebServerFactory factory = factory();
        factory.setShutdown(Shutdown.GRACEFUL);
        webServer = factory.getWebServer(servlet("/slow", held(entered, release, "finished")));
        webServer.start();
        try (RawClient client = new RawClient(webServer.getPort())) {
            client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            webServer.shutDownGracefully(result::complete);
            assertThat(result).isNotDone();
            release.countDown();
            RawClient.Response response = client.read();
            assertThat(response.bodyText()).isEqualTo("finished");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
        } finally {
            release.countDown();
        }
    }

    @Test
    void stopDuringGracefulShutdownReportsRequestsActive() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SakerServletWebServerFactory factory = factory();
        factory.setShutdown(Shutdown.GRACEFUL);
        webServer = factory.getWebServer(servlet("/stuck", held(entered, release, null)));
        webServer.start();
        try (RawClient client = new RawClient(webServer.getPort())) {
            client.send("GET /stuck HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            webServer.shutDownGracefully(result::complete);
            webServer.stop();
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.REQUESTS_ACTIVE);
        } finally {
            release.countDown();
        }
    }

    @Test
    void gracefulShutdownWithNoRequestInFlightReportsIdle() throws Exception {
        SakerServletWebServerFactory factory = factory();
        factory.setShutdown(Shutdown.GRACEFUL);
        webServer = factory.getWebServer();
        webServer.start();
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        webServer.shutDownGracefully(result::complete);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
    }

    @Test
    void gracefulShutdownWaitsForAnAsyncRequestToComplete() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<jakarta.servlet.AsyncContext> async = new CompletableFuture<>();
        SakerServletWebServerFactory factory = factory();
        factory.setShutdown(Shutdown.GRACEFUL);
        webServer = factory.getWebServer(servlet("/async", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) {
                async.complete(req.startAsync());
                started.countDown();
            }
        }));
        webServer.start();
        try (RawClient client = new RawClient(webServer.getPort())) {
            client.send("GET /async HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
            webServer.shutDownGracefully(result::complete);
            // The servlet has returned, but the async request is still open: no result yet.
            assertThat(dev.saker.server.testing.Poll.until(Duration.ofMillis(300), result::isDone)).isFalse();
            async.get().complete();
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
        }
    }

    @Test
    void stopCompletesWhileARequestIsActiveWithImmediateShutdown() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SakerServletWebServerFactory factory = factory();
        factory.setShutdown(Shutdown.IMMEDIATE);
        webServer = factory.getWebServer(servlet("/", held(entered, release, null)));
        webServer.start();
        try (RawClient client = new RawClient(webServer.getPort())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(webServer::stop);
            stopped.get(10, TimeUnit.SECONDS);
            assertThat(webServer.getPort()).isEqualTo(-1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void immediateShutdownSaysSo() {
        webServer = factory().getWebServer();
        webServer.start();
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        webServer.shutDownGracefully(result::complete);
        assertThat(result).isCompletedWithValue(GracefulShutdownResult.IMMEDIATE);
    }

    @Test
    void http2ReachesTheEngine() {
        SakerServletWebServerFactory factory = factory();
        assertThat(factory.engineConfig().http2()).isFalse();
        Http2 http2 = new Http2();
        http2.setEnabled(true);
        factory.setHttp2(http2);
        assertThat(factory.engineConfig().http2()).isTrue();
    }

    @Test
    void serverHeaderAndHeadSizeReachTheEngine() throws Exception {
        SakerServletWebServerFactory factory = factory();
        factory.setServerHeader("MyServer");
        factory.setMaxHeadSize(1024);
        webServer = factory.getWebServer(servlet("/", text("ok")));
        webServer.start();
        assertThat(get(webServer, "/", "").header("Server")).isEqualTo("MyServer");
        assertThat(get(webServer, "/", "X-Big: " + "a".repeat(2000) + "\r\n").status()).isEqualTo(431);
    }

    /**
     * A servlet that signals {@code entered}, holds the request until {@code release} (10 s at
     * most), then writes {@code body} if there is one.
     */
    private static HttpServlet held(CountDownLatch entered, CountDownLatch release, String body) {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (body != null) {
                    resp.getWriter().print(body);
                }
            }
        };
    }
}
