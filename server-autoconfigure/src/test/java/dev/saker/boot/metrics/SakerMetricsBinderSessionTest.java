package dev.saker.boot.metrics;

import dev.saker.boot.servlet.SakerServletWebServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session meters follow sessions made and expired through real requests. */
class SakerMetricsBinderSessionTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private SakerServletWebServer webServer;

    @AfterEach
    void destroy() {
        if (webServer != null) {
            webServer.destroy();
        }
    }

    /** {@code /new} makes a session that expires after one idle second; {@code /touch} only looks one up. */
    private void start() {
        start(new SakerServletWebServerFactory(0));
    }

    private void start(SakerServletWebServerFactory factory) {
        webServer = (SakerServletWebServer) factory.getWebServer(context -> {
            ServletRegistration.Dynamic registration = context.addServlet("sessions", new HttpServlet() {
                @Override
                protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    if (req.getRequestURI().equals("/new")) {
                        HttpSession session = req.getSession(true);
                        session.setMaxInactiveInterval(1);
                        resp.getWriter().print("created");
                    } else {
                        resp.getWriter().print(req.getSession(false) == null ? "none" : "live");
                    }
                }
            });
            registration.addMapping("/*");
        });
        webServer.start();
        SakerMetricsBinder.bind(webServer, Tags.of("server", "application"), registry);
    }

    private RawClient.Response get(String path, String cookie) throws IOException {
        try (RawClient client = new RawClient(webServer.getPort())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                    + "\r\n");
            return client.read();
        }
    }

    private double value(String name) {
        return registry.get(name).meter().measure().iterator().next().getValue();
    }

    @Test
    void aSessionCreatedThroughARequestIsCountedAndItsExpiryToo() throws Exception {
        start();
        assertThat(value("saker.sessions.active.current")).isZero();
        RawClient.Response created = get("/new", null);
        assertThat(created.bodyText()).isEqualTo("created");
        String cookie = created.header("Set-Cookie").split(";", 2)[0];
        assertThat(value("saker.sessions.created")).isEqualTo(1);
        assertThat(value("saker.sessions.active.current")).isEqualTo(1);
        assertThat(value("saker.sessions.active.max")).isEqualTo(1);
        assertThat(value("saker.sessions.expired")).isZero();
        assertThat(get("/touch", cookie).bodyText()).isEqualTo("live");
        // Idle past its second, it goes at the container's next sweep (run here rather than waiting 30 s for it).
        assertThat(Poll.until(Duration.ofSeconds(10), () -> {
            webServer.container().sessions().expireIdle();
            return value("saker.sessions.expired") == 1;
        })).isTrue();
        assertThat(get("/touch", cookie).bodyText()).isEqualTo("none");
        assertThat(value("saker.sessions.expired")).isEqualTo(1);
        assertThat(value("saker.sessions.active.current")).isZero();
        assertThat(value("saker.sessions.active.max")).isEqualTo(1);
        assertThat(registry.get("saker.sessions.alive.max").timeGauge().value(TimeUnit.SECONDS)).isGreaterThanOrEqualTo(1);
        assertThat(value("saker.sessions.created")).isEqualTo(1);
    }

    @Test
    void anExplicitInvalidationIsNotAnExpiry() throws Exception {
        start();
        get("/new", null);
        webServer.container().sessions().invalidateAll();
        assertThat(value("saker.sessions.active.current")).isZero();
        assertThat(value("saker.sessions.expired")).isZero();
        assertThat(value("saker.sessions.rejected")).as("no limit by default").isZero();
    }

    @Test
    void aSessionRefusedAtTheLimitIsCounted() throws Exception {
        SakerServletWebServerFactory factory = new SakerServletWebServerFactory(0);
        factory.setContainerConfig(factory.getContainerConfig().withMaxActiveSessions(1));
        start(factory);
        assertThat(get("/new", null).status()).isEqualTo(200);
        assertThat(value("saker.sessions.rejected")).isZero();
        // The servlet does not catch the refusal: the request fails with 500, and no session cookie is sent.
        RawClient.Response refused = get("/new", null);
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.header("Set-Cookie")).isNull();
        assertThat(value("saker.sessions.rejected")).isEqualTo(1);
        assertThat(value("saker.sessions.active.current")).isEqualTo(1);
        assertThat(value("saker.sessions.created")).isEqualTo(1);
    }
}
