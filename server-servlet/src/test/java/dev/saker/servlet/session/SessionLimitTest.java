package dev.saker.servlet.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.ServletServer;
import dev.saker.servlet.context.SakerServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code maxActiveSessions}: past it, creating a session throws and is counted; ended sessions free room. */
class SessionLimitTest {

    /** {@code /create} answers the exception's message when the session is refused. */
    private static void setup(SakerServletContext ctx) {
        ctx.addServlet("s", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                switch (req.getPathInfo()) {
                    case "/create", "/short" -> {
                        HttpSession session;
                        try {
                            session = req.getPathInfo().equals("/short") ? req.getSession(true) : req.getSession();
                        } catch (IllegalStateException e) {
                            resp.setStatus(503);
                            resp.getWriter().print(e.getMessage());
                            return;
                        }
                        if (req.getPathInfo().equals("/short")) {
                            session.setMaxInactiveInterval(1);
                        }
                        resp.getWriter().print(session.getCreationTime());
                    }
                    case "/invalidate" -> req.getSession(false).invalidate();
                    default -> resp.getWriter().print(req.getSession(false) == null ? "none" : "live");
                }
            }
        }).addMapping("/s/*");
    }

    private static ServletServer start(int maxActiveSessions) {
        return ServletServer.start("", ServletContainerConfig.defaults().withMaxActiveSessions(maxActiveSessions),
                SessionLimitTest::setup, c -> { });
    }

    private static RawClient.Response get(ServletServer server, String path, String cookie) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                    + "\r\n");
            return client.read();
        }
    }

    private static String cookie(RawClient.Response response) {
        return response.header("Set-Cookie").split(";", 2)[0];
    }

    @Test
    void pastTheLimitASessionIsRefusedAndCountedAndAnInvalidatedOneFreesRoom() throws Exception {
        try (ServletServer server = start(2)) {
            SessionManager sessions = server.container().sessions();
            assertThat(sessions.maxActiveSessions()).isEqualTo(2);
            String first = cookie(get(server, "/s/create", null));
            get(server, "/s/create", null);
            RawClient.Response refused = get(server, "/s/create", null);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.bodyText()).contains("2 sessions are active").contains("max-active-sessions 2");
            assertThat(refused.header("Set-Cookie")).isNull();
            assertThat(sessions.counts().rejected()).isEqualTo(1);
            assertThat(sessions.counts().created()).isEqualTo(2);
            assertThat(sessions.size()).isEqualTo(2);
            // A request with a live session still finds it: only new sessions are refused.
            assertThat(get(server, "/s/look", first).bodyText()).isEqualTo("live");

            get(server, "/s/invalidate", first);
            assertThat(sessions.size()).isEqualTo(1);
            assertThat(get(server, "/s/create", null).status()).isEqualTo(200);
            assertThat(sessions.counts().created()).isEqualTo(3);
            assertThat(sessions.counts().rejected()).isEqualTo(1);
        }
    }

    @Test
    void anIdleSessionPastItsTimeoutFreesRoomBeforeTheSweepRuns() throws Exception {
        try (ServletServer server = start(1)) {
            SessionManager sessions = server.container().sessions();
            long creationTime = Long.parseLong(get(server, "/s/short", null).bodyText());
            assertThat(get(server, "/s/create", null).status()).isEqualTo(503);
            // Idle for more than its one-second timeout: the next creation expires it and takes its place.
            assertThat(Poll.until(Duration.ofSeconds(10), () -> System.currentTimeMillis() - creationTime > 1_100)).isTrue();
            assertThat(get(server, "/s/create", null).status()).isEqualTo(200);
            assertThat(sessions.counts().expired()).isEqualTo(1);
            assertThat(sessions.counts().rejected()).isEqualTo(1);
            assertThat(sessions.size()).isEqualTo(1);
        }
    }

    @Test
    void racingCreationsNeverPassTheLimit() throws Exception {
        try (ServletServer server = start(10)) {
            SessionManager sessions = server.container().sessions();
            int threads = 8;
            int attempts = 50;
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger created = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < attempts; i++) {
                            try {
                                sessions.create();
                                created.incrementAndGet();
                            } catch (IllegalStateException refused) {
                                // counted by the manager
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(created.get()).isEqualTo(10);
            assertThat(sessions.size()).isEqualTo(10);
            assertThat(sessions.counts().rejected()).isEqualTo(threads * attempts - 10);
            assertThat(sessions.counts().activeMax()).isEqualTo(10);
        }
    }

    @Test
    void aLimitOfZeroRefusesEverySession() throws Exception {
        try (ServletServer server = start(0)) {
            assertThat(get(server, "/s/create", null).status()).isEqualTo(503);
            assertThat(server.container().sessions().counts().rejected()).isEqualTo(1);
            assertThat(server.container().sessions().size()).isZero();
        }
    }

    @Test
    void thereIsNoLimitByDefault() throws Exception {
        assertThat(ServletContainerConfig.defaults().maxActiveSessions()).isEqualTo(-1);
        try (ServletServer server = ServletServer.start("", SessionLimitTest::setup)) {
            SessionManager sessions = server.container().sessions();
            assertThat(sessions.maxActiveSessions()).isEqualTo(-1);
            for (int i = 0; i < 50; i++) {
                assertThat(get(server, "/s/create", null).status()).isEqualTo(200);
            }
            assertThat(sessions.size()).isEqualTo(50);
            assertThat(sessions.counts().rejected()).isZero();
        }
    }
}
