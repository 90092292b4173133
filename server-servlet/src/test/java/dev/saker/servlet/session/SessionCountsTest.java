package dev.saker.servlet.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.servlet.ServletServer;
import dev.saker.servlet.context.SakerServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The manager's monitoring figures follow sessions made, ended and expired through requests. */
class SessionCountsTest {

    private static void setup(SakerServletContext ctx) {
        ctx.addServlet("s", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                switch (req.getPathInfo()) {
                    case "/create" -> {
                        HttpSession session = req.getSession(true);
                        session.setMaxInactiveInterval(1);
                        resp.getWriter().print(session.getCreationTime());
                    }
                    case "/invalidate" -> req.getSession(true).invalidate();
                    default -> resp.getWriter().print(req.getSession(false) == null ? "none" : "live");
                }
            }
        }).addMapping("/s/*");
    }

    private static RawClient.Response get(ServletServer server, String path, String cookie) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                    + "\r\n");
            return client.read();
        }
    }

    @Test
    void aSessionFoundIdlePastItsTimeoutCountsAsExpiredAndAnInvalidatedOneDoesNot() throws Exception {
        try (ServletServer server = ServletServer.start("", SessionCountsTest::setup)) {
            SessionManager sessions = server.container().sessions();
            get(server, "/s/invalidate", null);
            assertThat(sessions.counts().created()).isEqualTo(1);
            assertThat(sessions.counts().expired()).isZero();

            RawClient.Response created = get(server, "/s/create", null);
            long creationTime = Long.parseLong(created.bodyText());
            String cookie = created.header("Set-Cookie").split(";", 2)[0];
            assertThat(sessions.counts().created()).isEqualTo(2);
            assertThat(sessions.counts().activeMax()).isEqualTo(1);
            // Untouched for more than its one-second timeout, the next look-up finds it expired.
            assertThat(Poll.until(Duration.ofSeconds(10), () -> System.currentTimeMillis() - creationTime > 1_100)).isTrue();
            assertThat(get(server, "/s/look", cookie).bodyText()).isEqualTo("none");
            assertThat(sessions.counts().expired()).isEqualTo(1);
            assertThat(sessions.counts().aliveMaxMillis()).isGreaterThan(1_000);
            assertThat(sessions.size()).isZero();
        }
    }
}
