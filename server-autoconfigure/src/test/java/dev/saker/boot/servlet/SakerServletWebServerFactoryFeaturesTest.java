package dev.saker.boot.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.Cookie.SameSite;
import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.servlet.ServletContextInitializer;

/**
 * Container features Boot's factory contract checks (default servlet, persistent sessions, the
 * root resource, SameSite suppliers, compression threshold, forwarded headers), through the
 * factory as Boot creates it, over loopback.
 */
class SakerServletWebServerFactoryFeaturesTest extends FactoryTestSupport {

    @TempDir
    Path tempDir;

    private static ServletContextInitializer servlet(String name, String mapping, HttpServlet servlet) {
        return context -> {
            ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
            registration.addMapping(mapping);
        };
    }

    private RawClient.Response get(String path, String extra) throws IOException {
        try (RawClient client = new RawClient(webServer.getPort())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "Connection: close\r\n\r\n");
            return client.read();
        }
    }

    private WebServer start(SakerServletWebServerFactory factory, ServletContextInitializer... initializers) {
        webServer = factory.getWebServer(initializers);
        webServer.start();
        return webServer;
    }

    // ------------------------------------------------------------------ default servlet

    @Test
    void defaultServletServesTheDocumentRootWithMimeMappingsValidatorsAndRanges() throws IOException {
        Files.writeString(tempDir.resolve("test.txt"), "test");
        Files.writeString(tempDir.resolve("test.xxcss"), "test");
        SakerServletWebServerFactory factory = factory();
        factory.setRegisterDefaultServlet(true);
        factory.setDocumentRoot(tempDir.toFile());
        MimeMappings mappings = new MimeMappings();
        mappings.add("xxcss", "text/css");
        factory.setMimeMappings(mappings);
        start(factory);
        RawClient.Response file = get("/test.txt", "");
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.bodyText()).isEqualTo("test");
        assertThat(get("/test.xxcss", "").header("Content-Type")).isEqualTo("text/css");
        assertThat(get("/test.txt", "If-None-Match: " + file.header("ETag") + "\r\n").status()).isEqualTo(304);
        RawClient.Response range = get("/test.txt", "Range: bytes=1-2\r\n");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.bodyText()).isEqualTo("es");
        assertThat(get("/org/springframework/boot/SpringApplication.class", "").status())
                .as("the class path is not the document root").isEqualTo(404);
        assertThat(get("/missing.txt", "").status()).isEqualTo(404);
    }

    @Test
    void withoutRegisterDefaultServletNothingIsServed() throws IOException {
        Files.writeString(tempDir.resolve("test.txt"), "test");
        SakerServletWebServerFactory factory = factory();
        factory.setDocumentRoot(tempDir.toFile());
        assertThat(factory.getSettings().isRegisterDefaultServlet()).as("Boot's default").isFalse();
        start(factory);
        assertThat(get("/test.txt", "").status()).isEqualTo(404);
    }

    @Test
    void applicationServletOnSlashWinsAndTheDefaultServletStaysReachableByName() throws IOException {
        Files.writeString(tempDir.resolve("test.txt"), "test");
        SakerServletWebServerFactory factory = factory();
        factory.setRegisterDefaultServlet(true);
        factory.setDocumentRoot(tempDir.toFile());
        start(factory, servlet("app", "/", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, jakarta.servlet.ServletException {
                if (req.getServletPath().startsWith("/static")) {
                    req.getServletContext().getNamedDispatcher("default").forward(
                            new jakarta.servlet.http.HttpServletRequestWrapper(req) {
                                @Override
                                public String getServletPath() {
                                    return "/test.txt";
                                }
                            }, resp);
                    return;
                }
                resp.getWriter().print("app");
            }
        }));
        assertThat(get("/test.txt", "").bodyText()).isEqualTo("app");
        assertThat(get("/static", "").bodyText()).isEqualTo("test");
    }

    // ------------------------------------------------------------------ root resource

    @Test
    void rootResourceIsTheDocumentRootOrATemporaryOne() throws IOException {
        AtomicReference<URL> root = new AtomicReference<>();
        AtomicReference<String> realPath = new AtomicReference<>();
        ServletContextInitializer capture = context -> {
            try {
                root.set(context.getResource("/"));
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
            realPath.set(context.getRealPath("/"));
        };
        start(factory(), capture);
        assertThat(root.get()).as("Boot's contract: never null").isNotNull();
        assertThat(new File(realPath.get())).isDirectory();
        assertThat(root.get()).isEqualTo(new File(realPath.get()).toURI().toURL());
        webServer.destroy();
        SakerServletWebServerFactory withRoot = factory();
        withRoot.setDocumentRoot(tempDir.toFile());
        start(withRoot, capture);
        assertThat(root.get()).isEqualTo(tempDir.toUri().toURL());
        assertThat(realPath.get()).isEqualTo(tempDir.toAbsolutePath().toString());
    }

    // ------------------------------------------------------------------ persistent sessions

    private static HttpServlet sessionServlet() {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                HttpSession session = req.getSession(true);
                Object previous = session.getAttribute("boot");
                session.setAttribute("boot", req.getParameter("v") == null ? previous : req.getParameter("v"));
                resp.getWriter().print(session.getId() + ":" + previous);
            }
        };
    }

    private static String cookieValue(RawClient.Response response) {
        String setCookie = response.header("Set-Cookie");
        return setCookie.substring("JSESSIONID=".length(), setCookie.indexOf(';'));
    }

    @Test
    void persistentSessionsSurviveStopStartAndANewWebServer() throws IOException {
        File store = tempDir.resolve("sessions").toFile();
        SakerServletWebServerFactory factory = factory();
        factory.getSettings().getSession().setPersistent(true);
        factory.getSettings().getSession().setStoreDir(store);
        start(factory, servlet("session", "/session", sessionServlet()));
        String id = cookieValue(get("/session?v=one", ""));
        webServer.stop();
        assertThat(new File(store, "SESSIONS.ser")).exists();
        webServer.start();
        assertThat(get("/session", "Cookie: JSESSIONID=" + id + "\r\n").bodyText()).isEqualTo(id + ":one");
        webServer.destroy();
        assertThat(store.listFiles()).isNotEmpty();
        start(factory, servlet("session", "/session", sessionServlet()));
        RawClient.Response again = get("/session", "Cookie: JSESSIONID=" + id + "\r\n");
        assertThat(again.bodyText()).isEqualTo(id + ":one");
        assertThat(again.header("Set-Cookie")).as("the same session: no new cookie").isNull();
    }

    @Test
    void persistentSessionsUseBootsDefaultStoreDirectory() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.getSettings().getSession().setPersistent(true);
        File dir = factory.getSettings().getSession().getSessionStoreDirectory().getValidDirectory(true);
        File file = new File(dir, "SESSIONS.ser");
        Files.deleteIfExists(file.toPath());
        start(factory, servlet("session", "/session", sessionServlet()));
        String id = cookieValue(get("/session?v=two", ""));
        webServer.destroy();
        assertThat(file).exists();
        start(factory, servlet("session", "/session", sessionServlet()));
        assertThat(file).as("read at start").doesNotExist();
        assertThat(get("/session", "Cookie: JSESSIONID=" + id + "\r\n").bodyText()).isEqualTo(id + ":two");
        webServer.destroy();
        webServer = null;
        Files.deleteIfExists(file.toPath());
    }

    @Test
    void sessionsAreNotPersistentByDefault() throws IOException {
        SakerServletWebServerFactory factory = factory();
        start(factory, servlet("session", "/session", sessionServlet()));
        String id = cookieValue(get("/session?v=three", ""));
        webServer.destroy();
        start(factory, servlet("session", "/session", sessionServlet()));
        assertThat(get("/session", "Cookie: JSESSIONID=" + id + "\r\n").bodyText()).endsWith(":null");
    }

    // ------------------------------------------------------------------ SameSite

    private static HttpServlet cookieServlet(jakarta.servlet.http.Cookie... extra) {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                req.getSession(true);
                resp.addCookie(new jakarta.servlet.http.Cookie("test", "test"));
                for (jakarta.servlet.http.Cookie cookie : extra) {
                    resp.addCookie((jakarta.servlet.http.Cookie) cookie.clone());
                }
            }
        };
    }

    private List<String> setCookies() throws IOException {
        return get("/", "").headers().get("set-cookie");
    }

    private static String cookie(List<String> headers, String name) {
        return headers.stream().filter(h -> h.startsWith(name + "=")).findFirst().orElseThrow();
    }

    @Test
    void sameSiteSuppliersApplyByName() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofLax().whenHasName("relaxed"));
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofNone().whenHasName("empty"));
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofStrict().whenHasName("controlled"));
        start(factory, servlet("cookies", "/", cookieServlet(new jakarta.servlet.http.Cookie("relaxed", "test"),
                new jakarta.servlet.http.Cookie("empty", "test"), new jakarta.servlet.http.Cookie("controlled", "test"))));
        List<String> headers = setCookies();
        assertThat(headers).hasSize(5);
        assertThat(cookie(headers, "JSESSIONID")).doesNotContain("SameSite");
        assertThat(cookie(headers, "test")).doesNotContain("SameSite");
        assertThat(cookie(headers, "relaxed")).contains("SameSite=Lax");
        assertThat(cookie(headers, "empty")).contains("SameSite=None");
        assertThat(cookie(headers, "controlled")).contains("SameSite=Strict");
    }

    @Test
    void sameSiteSuppliersDoNotOverrideTheSessionCookiesSetting() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.getSettings().getSession().getCookie().setSameSite(SameSite.LAX);
        factory.getSettings().getSession().getCookie().setName("SESSIONCOOKIE");
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofStrict());
        start(factory, servlet("cookies", "/", cookieServlet()));
        List<String> headers = setCookies();
        assertThat(headers).hasSize(2);
        assertThat(cookie(headers, "SESSIONCOOKIE")).contains("SameSite=Lax").doesNotContain("Strict");
        assertThat(cookie(headers, "test")).contains("SameSite=Strict");
    }

    @Test
    void sameSiteSuppliersDoNotAffectAnOmittedSessionCookieSameSite() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.getSettings().getSession().getCookie().setSameSite(SameSite.OMITTED);
        factory.getSettings().getSession().getCookie().setName("SESSIONCOOKIE");
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofStrict());
        start(factory, servlet("cookies", "/", cookieServlet()));
        List<String> headers = setCookies();
        assertThat(cookie(headers, "SESSIONCOOKIE")).doesNotContain("SameSite");
        assertThat(cookie(headers, "test")).contains("SameSite=Strict");
    }

    @Test
    void omittedFromASupplierLeavesTheCookieWithoutSameSiteAndExplicitValuesWin() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.of(SameSite.OMITTED).whenHasName("plain"));
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofStrict());
        jakarta.servlet.http.Cookie own = new jakarta.servlet.http.Cookie("own", "v");
        own.setAttribute("SameSite", "None");
        start(factory, servlet("cookies", "/", cookieServlet(new jakarta.servlet.http.Cookie("plain", "v"), own)));
        List<String> headers = setCookies();
        assertThat(cookie(headers, "plain")).doesNotContain("SameSite");
        assertThat(cookie(headers, "own")).contains("SameSite=None").doesNotContain("Strict");
        assertThat(cookie(headers, "test")).contains("SameSite=Strict");
    }

    // ------------------------------------------------------------------ compression threshold

    private static HttpServlet chunks(int total, int chunk, boolean flush) {
        return new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                byte[] part = "F".repeat(chunk).getBytes(StandardCharsets.US_ASCII);
                for (int written = 0; written < total; written += chunk) {
                    resp.getOutputStream().write(part, 0, Math.min(chunk, total - written));
                }
                if (flush) {
                    resp.getOutputStream().flush();
                }
            }
        };
    }

    @Test
    void compressionOnlyAboveTheMinimumSizeWhenTheLengthIsUnknown() throws IOException {
        SakerServletWebServerFactory factory = factory();
        Compression compression = new Compression();
        compression.setEnabled(true);
        factory.setCompression(compression);
        start(factory, servlet("small", "/small", chunks(100, 10, false)), servlet("big", "/big", chunks(10_000, 10, false)),
                servlet("edge", "/edge", chunks(2048, 100, false)), servlet("flushed", "/flushed", chunks(11, 11, true)));
        String gzip = "Accept-Encoding: gzip\r\n";
        RawClient.Response small = get("/small", gzip);
        assertThat(small.header("Content-Encoding")).isNull();
        assertThat(small.bodyText()).isEqualTo("F".repeat(100));
        assertThat(small.header("Content-Length")).isEqualTo("100");
        RawClient.Response big = get("/big", gzip);
        assertThat(big.header("Content-Encoding")).as("small first writes, large total").isEqualTo("gzip");
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(big.body())).readAllBytes(),
                StandardCharsets.US_ASCII)).isEqualTo("F".repeat(10_000));
        assertThat(get("/edge", gzip).header("Content-Encoding")).as("exactly min-response-size").isEqualTo("gzip");
        assertThat(get("/flushed", gzip).header("Content-Encoding"))
                .as("a flush before the size is known compresses, as Tomcat does").isEqualTo("gzip");
    }

    // ------------------------------------------------------------------ forwarded headers

    @Test
    void forwardedHeadersGiveTheClientsViewAndASecureSessionCookie() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.setUseForwardHeaders(true);
        start(factory, servlet("info", "/info", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                req.getSession(true);
                resp.getWriter().print(req.getScheme() + " " + req.isSecure() + " " + req.getRemoteAddr() + " "
                        + req.getRequestURL());
            }
        }));
        RawClient.Response proxied = get("/info", "X-Forwarded-For: 198.51.100.7\r\nX-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Host: shop.example\r\n");
        assertThat(proxied.bodyText()).isEqualTo("https true 198.51.100.7 https://shop.example/info");
        assertThat(proxied.header("Set-Cookie")).contains("Secure");
        RawClient.Response direct = get("/info", "");
        assertThat(direct.bodyText()).startsWith("http false 127.0.0.1 http://localhost");
        assertThat(direct.header("Set-Cookie")).doesNotContain("Secure");
    }
}
