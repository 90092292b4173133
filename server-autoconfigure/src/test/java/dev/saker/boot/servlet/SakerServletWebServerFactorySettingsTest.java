package dev.saker.boot.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.Cookie.SameSite;
import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.server.servlet.Session;
import org.springframework.http.HttpStatus;

/**
 * What {@code ServletWebServerSettings} and the common factory settings do to the running context,
 * as Boot's {@code AbstractServletWebServerFactoryTests} checks them, on real loopback sockets.
 */
class SakerServletWebServerFactorySettingsTest extends FactoryTestSupport {

    @Test
    void contextPathServesUnderItAndRedirectsTheBarePath() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.setContextPath("/say");
        webServer = factory.getWebServer(servlet("/hello", text("Hello World")));
        webServer.start();
        assertThat(get("/say/hello").bodyText()).isEqualTo("Hello World");
        RawClient.Response bare = get("/say?x=1");
        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.header("Location")).endsWith("/say/?x=1");
        assertThat(get("/hello").status()).isEqualTo(404);
    }

    @Test
    void displayNameInitParametersServerInfoAndTempDirAreOnTheContext() {
        SakerServletWebServerFactory factory = factory();
        factory.setDisplayName("the shop");
        factory.setInitParameters(Map.of("a", "alpha"));
        AtomicReference<ServletContext> context = new AtomicReference<>();
        webServer = factory.getWebServer(context::set);
        assertThat(context.get().getServletContextName()).isEqualTo("the shop");
        assertThat(context.get().getInitParameter("a")).isEqualTo("alpha");
        assertThat(context.get().getServerInfo()).isEqualTo("Saker");
        assertThat(context.get().getAttribute(ServletContext.TEMPDIR)).isInstanceOfSatisfying(File.class,
                dir -> assertThat(dir).isDirectory().canWrite());
        assertThat(context.get().getSessionTimeout()).as("Boot's default 30 minutes").isEqualTo(30);
    }

    @Test
    void everyDefaultAndAdditionalMimeMappingIsServed() {
        SakerServletWebServerFactory factory = factory();
        MimeMappings additional = new MimeMappings();
        additional.add("a", "alpha");
        additional.add("b", "bravo");
        factory.addMimeMappings(additional);
        AtomicReference<ServletContext> context = new AtomicReference<>();
        webServer = factory.getWebServer(context::set);
        for (MimeMappings.Mapping mapping : MimeMappings.DEFAULT) {
            assertThat(context.get().getMimeType("file." + mapping.getExtension())).as(mapping.getExtension())
                    .isEqualTo(mapping.getMimeType());
        }
        assertThat(context.get().getMimeType("file.a")).isEqualTo("alpha");
        assertThat(context.get().getMimeType("file.b")).isEqualTo("bravo");
    }

    @Test
    void localeCharsetMappingsChooseTheResponseCharset() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.setLocaleCharsetMappings(Map.of(Locale.GERMAN, StandardCharsets.UTF_8));
        webServer = factory.getWebServer(servlet("/locale", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.setLocale(Locale.forLanguageTag(req.getParameter("l")));
                resp.getWriter().print(resp.getCharacterEncoding());
            }
        }));
        webServer.start();
        assertThat(get("/locale?l=de").bodyText()).isEqualTo("UTF-8");
        assertThat(get("/locale?l=it").bodyText()).isEqualTo("ISO-8859-1");
    }

    @Test
    void errorPageServesAThrowingGetAndPut() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.addErrorPages(new ErrorPage(HttpStatus.INTERNAL_SERVER_ERROR, "/hello"));
        webServer = factory.getWebServer(servlet("/hello", text("Hello World")), servlet("/bang", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) {
                throw new RuntimeException("Planned");
            }
        }));
        webServer.start();
        assertThat(get("/bang").bodyText()).isEqualTo("Hello World");
        RawClient.Response put = request("PUT", "/bang", "");
        assertThat(put.status()).isEqualTo(500);
        assertThat(put.bodyText()).isEqualTo("Hello World");
    }

    @Test
    void sessionSettingsReachTheContext() {
        SakerServletWebServerFactory factory = factory();
        Session session = factory.getSettings().getSession();
        session.setTimeout(Duration.ofSeconds(123));
        session.setTrackingModes(EnumSet.of(Session.SessionTrackingMode.COOKIE, Session.SessionTrackingMode.URL));
        org.springframework.boot.web.server.Cookie cookie = session.getCookie();
        cookie.setName("testname");
        cookie.setDomain("testdomain");
        cookie.setPath("/testpath");
        cookie.setHttpOnly(true);
        cookie.setSecure(true);
        cookie.setPartitioned(true);
        cookie.setMaxAge(Duration.ofSeconds(60));
        AtomicReference<ServletContext> context = new AtomicReference<>();
        webServer = factory.getWebServer(context::set);
        webServer.start();
        assertThat(context.get().getEffectiveSessionTrackingModes()).isEqualTo(
                EnumSet.of(jakarta.servlet.SessionTrackingMode.COOKIE, jakarta.servlet.SessionTrackingMode.URL));
        // Minutes are the Servlet API's unit: a timeout that is not whole minutes is rounded up.
        assertThat(context.get().getSessionTimeout()).isEqualTo(3);
        SessionCookieConfig config = context.get().getSessionCookieConfig();
        assertThat(config.getName()).isEqualTo("testname");
        assertThat(config.getDomain()).isEqualTo("testdomain");
        assertThat(config.getPath()).isEqualTo("/testpath");
        assertThat(config.isHttpOnly()).isTrue();
        assertThat(config.isSecure()).isTrue();
        // Boot 4.1's own session initializer marks it with an empty value (a flag attribute).
        assertThat(config.getAttribute("Partitioned")).isNotNull();
        assertThat(config.getMaxAge()).isEqualTo(60);
    }

    @Test
    void aPartitionedSessionCookieIsSentAsTheBareAttribute() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.getSettings().getSession().getCookie().setPartitioned(true);
        webServer = factory.getWebServer(servlet("/", new CookieServlet(false)));
        webServer.start();
        assertThat(setCookies(get("/"))).anySatisfy(header -> assertThat(header).startsWith("JSESSIONID=")
                .contains("; Partitioned").doesNotContain("Partitioned="));
    }

    @ParameterizedTest
    @EnumSource(mode = EnumSource.Mode.EXCLUDE, names = "OMITTED")
    void sessionCookieSameSiteAffectsOnlyTheSessionCookie(SameSite sameSite) throws IOException {
        for (String name : new String[] {null, "THESESSION"}) {
            SakerServletWebServerFactory factory = factory();
            factory.getSettings().getSession().getCookie().setName(name);
            factory.getSettings().getSession().getCookie().setSameSite(sameSite);
            webServer = factory.getWebServer(servlet("/", new CookieServlet(false)));
            webServer.start();
            String sessionName = name == null ? "JSESSIONID" : name;
            assertThat(setCookies(get("/"))).satisfiesExactlyInAnyOrder(
                    header -> assertThat(header).startsWith(sessionName + "=").contains("SameSite=" + sameSite.attributeValue()),
                    header -> assertThat(header).startsWith("test=test").doesNotContain("SameSite"));
            webServer.destroy();
        }
    }

    @Test
    void cookieSameSiteSuppliersChooseByNameAndLeaveTheSessionCookieAlone() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofLax().whenHasName("relaxed"));
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofNone().whenHasName("empty"));
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofStrict().whenHasName("controlled"));
        webServer = factory.getWebServer(servlet("/", new CookieServlet(true)));
        webServer.start();
        assertThat(setCookies(get("/"))).satisfiesExactlyInAnyOrder(
                header -> assertThat(header).startsWith("JSESSIONID=").doesNotContain("SameSite"),
                header -> assertThat(header).startsWith("test=test").doesNotContain("SameSite"),
                header -> assertThat(header).startsWith("relaxed=test").contains("SameSite=Lax"),
                header -> assertThat(header).startsWith("empty=test").contains("SameSite=None"),
                header -> assertThat(header).startsWith("controlled=test").contains("SameSite=Strict"));
    }

    @Test
    void aSupplierDoesNotOverrideTheSessionCookiesConfiguredSameSite() throws IOException {
        SakerServletWebServerFactory factory = factory();
        factory.getSettings().getSession().getCookie().setSameSite(SameSite.LAX);
        factory.getSettings().getSession().getCookie().setName("SESSIONCOOKIE");
        factory.addCookieSameSiteSuppliers(CookieSameSiteSupplier.ofStrict());
        webServer = factory.getWebServer(servlet("/", new CookieServlet(false)));
        webServer.start();
        assertThat(setCookies(get("/"))).satisfiesExactlyInAnyOrder(
                header -> assertThat(header).startsWith("SESSIONCOOKIE=").contains("SameSite=Lax"),
                header -> assertThat(header).startsWith("test=test").contains("SameSite=Strict"));
    }

    @Test
    void compressionOfGetAndPostButNotSmallExcludedTypeOrExcludedAgent() throws IOException {
        assertThat(compressed(10_000, null, null, "GET")).isTrue();
        assertThat(compressed(10_000, null, null, "POST")).isTrue();
        assertThat(compressed(100, null, null, "GET")).isFalse();
        assertThat(compressed(10_000, new String[] {"text/html", "text/xml", "text/css"}, null, "GET")).isFalse();
        assertThat(compressed(10_000, null, new String[] {"testUserAgent"}, "GET")).isFalse();
    }

    @Test
    void noServerHeaderByDefaultNorWhenEmptyAndTheConfiguredOneOtherwise() throws IOException {
        for (String header : new String[] {null, "", "MyServer"}) {
            SakerServletWebServerFactory factory = factory();
            factory.setServerHeader(header);
            webServer = factory.getWebServer(servlet("/hello", text("Hello World")));
            webServer.start();
            assertThat(get("/hello").header("Server")).as("server.server-header=%s", header)
                    .isEqualTo("MyServer".equals(header) ? "MyServer" : null);
            webServer.destroy();
        }
    }

    @Test
    void classPathFilesAreNotServed() throws IOException {
        webServer = factory().getWebServer(servlet("/hello", text("Hello World")));
        webServer.start();
        assertThat(get("/org/springframework/boot/SpringApplication.class").status()).isEqualTo(404);
    }

    private boolean compressed(int size, String[] mimeTypes, String[] excludedAgents, String method) throws IOException {
        String content = "F".repeat(size);
        SakerServletWebServerFactory factory = factory();
        Compression compression = new Compression();
        compression.setEnabled(true);
        if (mimeTypes != null) {
            compression.setMimeTypes(mimeTypes);
        }
        if (excludedAgents != null) {
            compression.setExcludedUserAgents(excludedAgents);
        }
        factory.setCompression(compression);
        webServer = factory.getWebServer(servlet("/test.txt", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain");
                resp.setContentLength(content.length());
                resp.getWriter().write(content);
                resp.getWriter().flush();
            }
        }));
        try {
            webServer.start();
            RawClient.Response response = request(method, "/test.txt", "Accept-Encoding: gzip\r\nUser-Agent: testUserAgent\r\n");
            assertThat(response.status()).isEqualTo(200);
            boolean gzip = "gzip".equals(response.header("Content-Encoding"));
            byte[] body = gzip ? new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes() : response.body();
            assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(content);
            return gzip;
        } finally {
            webServer.destroy();
            webServer = null;
        }
    }

    private static List<String> setCookies(RawClient.Response response) {
        return response.headers().getOrDefault("set-cookie", List.of());
    }

    static final class CookieServlet extends HttpServlet {

        private final boolean supplierCookies;

        CookieServlet(boolean supplierCookies) {
            this.supplierCookies = supplierCookies;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
            req.getSession(true);
            resp.addCookie(new Cookie("test", "test"));
            if (supplierCookies) {
                resp.addCookie(new Cookie("relaxed", "test"));
                resp.addCookie(new Cookie("empty", "test"));
                resp.addCookie(new Cookie("controlled", "test"));
            }
        }
    }
}
