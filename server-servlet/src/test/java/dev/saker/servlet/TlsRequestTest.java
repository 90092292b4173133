package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import dev.saker.server.tls.ClientAuth;
import dev.saker.server.tls.TlsConfig;
import dev.saker.server.tls.TlsMaterial;
import dev.saker.servlet.context.SakerServletContext;
import dev.saker.servlet.forwarded.ForwardedHeadersFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** What a servlet sees of a request that came over TLS, on a real TLS listener. */
class TlsRequestTest {

    /** Prints the request's view of its connection. */
    private static final HttpServlet FACTS = new HttpServlet() {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            X509Certificate[] chain = (X509Certificate[]) req.getAttribute("jakarta.servlet.request.X509Certificate");
            resp.getWriter().print(req.getScheme() + " " + req.isSecure() + " " + req.getServerPort() + " " + req.getRequestURL()
                    + "\ncipher=" + req.getAttribute("jakarta.servlet.request.cipher_suite")
                    + "\nkeySize=" + req.getAttribute("jakarta.servlet.request.key_size")
                    + "\nsessionId=" + req.getAttribute("jakarta.servlet.request.ssl_session_id")
                    + "\nclient=" + (chain == null ? "none" : chain[0].getSubjectX500Principal().getName())
                    + "\nnames=" + new TreeSet<>(Collections.list(req.getAttributeNames())));
        }
    };

    @Test
    void aTlsRequestIsSecureHttpsWithPort443AsTheDefault() throws Exception {
        try (ServletServer server = tlsServer(TestTls.material("server"))) {
            String body = get(server, null, "/p", "Host: localhost\r\n");
            assertThat(body).startsWith("https true 443 https://localhost/p\n");
            assertThat(get(server, null, "/p", "Host: localhost:8443\r\n")).startsWith("https true 8443 https://localhost:8443/p\n");
            assertThat(body).containsPattern("cipher=TLS_\\w+\n").containsPattern("keySize=(128|256)\n")
                    .contains("client=none\n")
                    .contains("jakarta.servlet.request.cipher_suite").contains("jakarta.servlet.request.key_size")
                    .doesNotContain("jakarta.servlet.request.X509Certificate");
            String sessionId = body.replaceFirst("(?s).*sessionId=([^\n]*)\n.*", "$1");
            assertThat(sessionId).as("hex or absent").matches("null|[0-9a-f]+");
            if (!sessionId.equals("null")) {
                assertThat(body).contains("jakarta.servlet.request.ssl_session_id");
            }
        }
    }

    @Test
    void aClientCertificateIsReportedWhenTheClientSentOne() throws Exception {
        TlsMaterial wantClients = new TlsMaterial(TestTls.keyManagers("server"), TestTls.trusting("client"), ClientAuth.WANT,
                List.of(), List.of(), List.of());
        try (ServletServer server = tlsServer(wantClients)) {
            String withCertificate = get(server, "client", "/p", "Host: localhost\r\n");
            assertThat(withCertificate).contains("client=" + TestTls.certificate("client").getSubjectX500Principal().getName() + "\n")
                    .contains("jakarta.servlet.request.X509Certificate");
            assertThat(get(server, null, "/p", "Host: localhost\r\n")).contains("client=none\n");
        }
    }

    @Test
    void theKeySizeIsThatOfTheNegotiatedCipher() throws Exception {
        TlsMaterial aes128 = new TlsMaterial(TestTls.keyManagers("server"), null, ClientAuth.NONE, List.of("TLSv1.2"),
                List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), List.of());
        try (ServletServer server = tlsServer(aes128)) {
            assertThat(get(server, null, "/p", "Host: localhost\r\n"))
                    .contains("cipher=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n").contains("keySize=128\n");
        }
    }

    @Test
    void theTlsAttributesAreTheContainersAndRaiseNoEvents() throws Exception {
        List<String> added = new CopyOnWriteArrayList<>();
        try (ServletServer server = tlsServer(TestTls.material("server"), ctx -> ctx.addListener(
                new ServletRequestAttributeListener() {
                    @Override
                    public void attributeAdded(ServletRequestAttributeEvent event) {
                        added.add(event.getName());
                    }
                }))) {
            get(server, null, "/p", "Host: localhost\r\n");
            assertThat(added).noneMatch(name -> name.startsWith("jakarta.servlet.request."));
        }
    }

    @Test
    void aTrustedProxysForwardedSchemeStillWins() throws Exception {
        try (ServletServer server = tlsServer(TestTls.material("server"), ctx -> ctx.addFilter("fwd",
                new ForwardedHeadersFilter(ForwardedHeadersFilter.DEFAULT_TRUSTED_PROXIES))
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*"))) {
            assertThat(get(server, null, "/p", "Host: localhost\r\nX-Forwarded-Proto: http\r\n"))
                    .startsWith("http false 80 http://localhost/p\n");
            assertThat(get(server, null, "/p", "Host: localhost\r\nX-Forwarded-Host: shop.example\r\n"))
                    .as("no forwarded scheme: the connection's").startsWith("https true 443 https://shop.example/p\n");
        }
    }

    @Test
    void theSessionCookieIsSecureOverTlsOnly() throws Exception {
        HttpServlet session = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                req.getSession(true);
            }
        };
        try (ServletServer tls = ServletServer.start("", ServletContainerConfig.defaults(),
                ctx -> ctx.addServlet("s", session).addMapping("/"), c -> { }, TlsConfig.builder(TestTls.material("server")).build());
             ServletServer plain = ServletServer.start("", ctx -> ctx.addServlet("s", session).addMapping("/"))) {
            try (RawClient client = new RawClient(TestTls.connect(TestTls.clientContext(), tls.port(), null))) {
                client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(client.read().header("Set-Cookie")).contains("; Secure");
            }
            try (RawClient client = new RawClient(plain.port())) {
                client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(client.read().header("Set-Cookie")).doesNotContain("Secure");
            }
        }
    }

    @Test
    void sslSessionTrackingUsesTheTlsSessionsIdAndSendsNoCookie() throws Exception {
        HttpServlet counter = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                jakarta.servlet.http.HttpSession session = req.getSession(true);
                Integer visits = (Integer) session.getAttribute("visits");
                session.setAttribute("visits", visits == null ? 1 : visits + 1);
                if (req.getParameter("change") != null) {
                    try {
                        req.changeSessionId();
                    } catch (IllegalStateException refused) {
                        resp.getWriter().print("refused: " + refused.getMessage());
                        return;
                    }
                }
                resp.getWriter().print(session.getId() + " " + session.getAttribute("visits") + " "
                        + session.getId().equals(req.getAttribute("jakarta.servlet.request.ssl_session_id")) + " "
                        + req.isRequestedSessionIdFromCookie() + " " + req.isRequestedSessionIdFromURL());
            }
        };
        try (ServletServer server = ServletServer.start("", ServletContainerConfig.defaults(), ctx -> {
            ctx.setTlsListener(true);
            ctx.setSessionTrackingModes(EnumSet.of(jakarta.servlet.SessionTrackingMode.SSL));
            ctx.addServlet("c", counter).addMapping("/");
        }, c -> { }, TlsConfig.builder(TestTls.material("server")).build())) {
            try (RawClient client = new RawClient(TestTls.connect(TestTls.clientContext(), server.port(), null))) {
                client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                RawClient.Response first = client.read();
                assertThat(first.header("Set-Cookie")).isNull();
                assertThat(first.bodyText()).endsWith(" 1 true false false");
                client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                String second = client.read().bodyText();
                assertThat(second).isEqualTo(first.bodyText().replace(" 1 true", " 2 true"));
                client.send("GET /?change HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(client.read().bodyText()).startsWith("refused: SSL session tracking");
            }
            try (RawClient other = new RawClient(TestTls.connect(TestTls.clientContext(), server.port(), null))) {
                other.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(other.read().bodyText()).as("another TLS session, another HTTP session").contains(" 1 true");
            }
        }
    }

    @Test
    void sslSessionTrackingNeedsATlsListenerAndStandsAlone() {
        dev.saker.servlet.context.SakerServletContext context = new dev.saker.servlet.context.SakerServletContext("",
                getClass().getClassLoader());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> context.setSessionTrackingModes(EnumSet.of(jakarta.servlet.SessionTrackingMode.SSL)))
                .withMessageContaining("needs a TLS listener");
        context.setTlsListener(true);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> context.setSessionTrackingModes(EnumSet.of(jakarta.servlet.SessionTrackingMode.SSL,
                        jakarta.servlet.SessionTrackingMode.COOKIE)))
                .withMessageContaining("cannot be combined");
        context.setSessionTrackingModes(EnumSet.of(jakarta.servlet.SessionTrackingMode.SSL));
        assertThat(context.getEffectiveSessionTrackingModes()).containsExactly(jakarta.servlet.SessionTrackingMode.SSL);
    }

    @Test
    void aPlainRequestHasNoTlsAttributes() throws Exception {
        try (ServletServer server = ServletServer.start("", ctx -> ctx.addServlet("f", FACTS).addMapping("/"));
             RawClient client = new RawClient(server.port())) {
            client.send("GET /p HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(client.read().bodyText()).startsWith("http false 80 http://localhost/p\n").contains("cipher=null\n")
                    .contains("names=[]");
        }
    }

    private static ServletServer tlsServer(TlsMaterial material) {
        return tlsServer(material, ctx -> { });
    }

    private static ServletServer tlsServer(TlsMaterial material, Consumer<SakerServletContext> extra) {
        return ServletServer.start("", ServletContainerConfig.defaults(), ctx -> {
            extra.accept(ctx);
            ctx.addServlet("f", FACTS).addMapping("/");
        }, c -> { }, TlsConfig.builder(material).build());
    }

    private static String get(ServletServer server, String clientKey, String path, String headers) throws IOException {
        SSLSocket socket = TestTls.connect(TestTls.clientContext(clientKey, "server"), server.port(), null);
        try (RawClient client = new RawClient(socket)) {
            client.send("GET " + path + " HTTP/1.1\r\n" + headers + "\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            return response.bodyText();
        }
    }
}
