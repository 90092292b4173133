package dev.saker.servlet.forwarded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import dev.saker.servlet.ServletServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's view from a trusted proxy holds for every view of the request, as with Tomcat's remote IP valve. */
class ForwardedOriginTest {

    private static final String PROXIED = "X-Forwarded-For: 203.0.113.9, fd00:0:0:0:0:0:0:5\r\n"
            + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: example.com\r\n";
    private static final String EXPECTED = "scheme=https secure=true name=example.com port=443 remote=203.0.113.9 "
            + "host=203.0.113.9 url=https://example.com/app/";

    private ServletServer server;

    @BeforeEach
    void start() {
        server = ServletServer.start("/app", ctx -> {
            FilterRegistration.Dynamic filter = ctx.addFilter("forwarded",
                    new ForwardedHeadersFilter(ForwardedHeadersFilter.DEFAULT_TRUSTED_PROXIES));
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
            ctx.addServlet("info", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.getWriter().print(describe(req));
                }
            }).addMapping("/info");
            ServletRegistration.Dynamic views = ctx.addServlet("views", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
                    switch (req.getPathInfo()) {
                        case "/forward" -> req.getRequestDispatcher("/info").forward(req, resp);
                        case "/include" -> req.getRequestDispatcher("/info").include(req, resp);
                        case "/wrapped" -> resp.getWriter().print(describe(new HttpServletRequestWrapper(req)));
                        case "/async" -> {
                            AsyncContext async = req.startAsync();
                            async.dispatch("/info");
                        }
                        case "/session" -> {
                            req.getSession(true);
                            resp.getWriter().print("ok");
                        }
                        case "/redirect" -> resp.sendRedirect("done");
                        default -> resp.sendError(404);
                    }
                }
            });
            views.addMapping("/v/*");
            views.setAsyncSupported(true);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String describe(HttpServletRequest req) {
        return "scheme=" + req.getScheme() + " secure=" + req.isSecure() + " name=" + req.getServerName()
                + " port=" + req.getServerPort() + " remote=" + req.getRemoteAddr() + " host=" + req.getRemoteHost()
                + " url=" + req.getRequestURL();
    }

    private RawClient.Response get(String path, String extra) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: internal:8080\r\n" + extra + "Connection: close\r\n\r\n");
            return client.read();
        }
    }

    @Test
    void everyViewOfTheRequestAgrees() throws IOException {
        assertThat(get("/app/info", PROXIED).bodyText()).isEqualTo(EXPECTED + "info");
        assertThat(get("/app/v/wrapped", PROXIED).bodyText()).isEqualTo(EXPECTED + "v/wrapped");
        assertThat(get("/app/v/forward", PROXIED).bodyText()).isEqualTo(EXPECTED + "info");
        assertThat(get("/app/v/include", PROXIED).bodyText()).as("an include keeps the original URI")
                .isEqualTo(EXPECTED + "v/include");
        assertThat(get("/app/v/async", PROXIED).bodyText()).isEqualTo(EXPECTED + "info");
    }

    @Test
    void withoutForwardingFieldsTheConnectionIsReported() throws IOException {
        assertThat(get("/app/info", "").bodyText())
                .isEqualTo("scheme=http secure=false name=internal port=8080 remote=127.0.0.1 host=127.0.0.1 "
                        + "url=http://internal:8080/app/info");
    }

    @Test
    void anIpv6ForwardedHostIsReportedInItsBrackets() throws IOException {
        assertThat(get("/app/info", "X-Forwarded-Host: [2001:db8::7]:8443\r\n").bodyText())
                .isEqualTo("scheme=http secure=false name=[2001:db8::7] port=8443 remote=127.0.0.1 host=127.0.0.1 "
                        + "url=http://[2001:db8::7]:8443/app/info");
    }

    @Test
    void ofSeveralFieldsOfOneNameTheFirstCounts() throws IOException {
        assertThat(get("/app/info", "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: 198.51.100.2\r\n").bodyText())
                .contains("remote=203.0.113.9 ");
    }

    @Test
    void sessionCookieIsSecureBehindATlsTerminatingProxy() throws IOException {
        assertThat(get("/app/v/session", PROXIED).header("Set-Cookie")).contains("JSESSIONID=").contains("Secure");
        assertThat(get("/app/v/session", "").header("Set-Cookie")).contains("JSESSIONID=").doesNotContain("Secure");
    }

    @Test
    void redirectsStayRelativeSoTheClientKeepsItsSchemeAndHost() throws IOException {
        RawClient.Response redirect = get("/app/v/redirect", PROXIED);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("/app/v/done");
    }

    @Test
    void defaultTrustedProxiesIncludeIpv6LoopbackUniqueLocalAndLinkLocal() {
        Pattern trusted = Pattern.compile(ForwardedHeadersFilter.DEFAULT_TRUSTED_PROXIES);
        assertThat(trusted.matcher("0:0:0:0:0:0:0:1").matches()).isTrue();
        assertThat(trusted.matcher("::1").matches()).isTrue();
        assertThat(trusted.matcher("fc00:0:0:0:0:0:0:1").matches()).isTrue();
        assertThat(trusted.matcher("fd12:3456:789a:1:0:0:0:1").matches()).isTrue();
        assertThat(trusted.matcher("fe80:0:0:0:1c2b:3cff:fe4d:5e6f%eth0").matches()).isTrue();
        assertThat(trusted.matcher("febf:0:0:0:0:0:0:1").matches()).isTrue();
        assertThat(trusted.matcher("2001:db8:0:0:0:0:0:1").matches()).isFalse();
        assertThat(trusted.matcher("fb00:0:0:0:0:0:0:1").matches()).isFalse();
        assertThat(trusted.matcher("fec0:0:0:0:0:0:0:1").matches()).isFalse();
        assertThat(trusted.matcher("8.8.8.8").matches()).isFalse();
    }
}
