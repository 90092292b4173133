package dev.saker.servlet.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.ServletServer;
import dev.saker.servlet.context.SakerServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions saved at stop and read back at start, as Tomcat's StandardManager does with SESSIONS.ser. */
class SessionPersistenceTest {

    static final AtomicInteger PASSIVATED = new AtomicInteger();
    static final AtomicInteger ACTIVATED = new AtomicInteger();
    static final AtomicInteger DESTROYED = new AtomicInteger();

    @TempDir
    Path dir;

    /** Serializable, and counts the activation callbacks it gets. */
    static final class Tracker implements Serializable, HttpSessionActivationListener {
        private static final long serialVersionUID = 1L;
        final String label;

        Tracker(String label) {
            this.label = label;
        }

        @Override
        public void sessionWillPassivate(HttpSessionEvent se) {
            PASSIVATED.incrementAndGet();
        }

        @Override
        public void sessionDidActivate(HttpSessionEvent se) {
            ACTIVATED.incrementAndGet();
        }
    }

    private ServletServer start(Path store) {
        return ServletServer.start("", ServletContainerConfig.defaults(), this::setup,
                container -> container.sessions().setStoreFile(store));
    }

    private void setup(SakerServletContext ctx) {
        ctx.addListener(new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent se) {
                DESTROYED.incrementAndGet();
            }
        });
        ctx.addServlet("s", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getPathInfo().equals("/create")) {
                    HttpSession session = req.getSession(true);
                    session.setAttribute("count", 41);
                    session.setAttribute("tracker", new Tracker("kept"));
                    session.setAttribute("socket", new Object());
                    resp.getWriter().print(session.getId());
                    return;
                }
                HttpSession session = req.getSession(false);
                if (session == null) {
                    resp.getWriter().print("none");
                    return;
                }
                resp.getWriter().print(session.getId() + " count=" + session.getAttribute("count")
                        + " tracker=" + ((Tracker) session.getAttribute("tracker")).label
                        + " socket=" + session.getAttribute("socket") + " new=" + session.isNew());
            }
        }).addMapping("/s/*");
    }

    private static String get(ServletServer server, String path, String cookie) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                    + (cookie == null ? "" : "Cookie: JSESSIONID=" + cookie + "\r\n") + "Connection: close\r\n\r\n");
            return client.read().bodyText();
        }
    }

    @Test
    void sessionsSurviveARestartWithoutTheirUnserializableAttributes() throws IOException {
        Path store = dir.resolve("sessions/SESSIONS.ser");
        PASSIVATED.set(0);
        ACTIVATED.set(0);
        DESTROYED.set(0);
        String id;
        try (ServletServer first = start(store)) {
            id = get(first, "/s/create", null);
            assertThat(get(first, "/s/read", id)).startsWith(id + " count=41");
        }
        assertThat(store).exists();
        assertThat(PASSIVATED).hasValue(1);
        assertThat(DESTROYED).as("saved sessions are not ended").hasValue(0);
        try (ServletServer second = start(store)) {
            assertThat(store).as("the store is consumed at start").doesNotExist();
            assertThat(ACTIVATED).hasValue(1);
            assertThat(get(second, "/s/read", id)).isEqualTo(id + " count=41 tracker=kept socket=null new=false");
            assertThat(get(second, "/s/read", "unknown")).isEqualTo("none");
        }
        assertThat(store).as("saved again at the next stop").exists();
    }

    @Test
    void expiredSessionsAreDroppedOnLoad() throws IOException {
        Path store = dir.resolve("SESSIONS.ser");
        long now = System.currentTimeMillis();
        new SessionFile(store).save(List.of(
                new SessionState("stale", now - 7_200_000, now - 7_200_000, now - 3_600_000, 60, false, Map.of("a", 1)),
                new SessionState("fresh", now - 10_000, now - 10_000, now - 5_000, 1800, false, Map.of("a", 2)),
                new SessionState("forever", now - 7_200_000, now - 7_200_000, now - 3_600_000, 0, false, Map.of())));
        SakerServletContext context = new SakerServletContext("", getClass().getClassLoader());
        SessionManager manager = new SessionManager(context);
        manager.setStoreFile(store);
        manager.load();
        assertThat(manager.find("stale")).isNull();
        assertThat(manager.find("fresh").getAttribute("a")).isEqualTo(2);
        assertThat(manager.find("fresh").getCreationTime()).isEqualTo(now - 10_000);
        assertThat(manager.find("forever")).as("no timeout: never expires").isNotNull();
        assertThat(manager.size()).isEqualTo(2);
    }

    @Test
    void unloadWithoutLoadNeverOverwritesTheStore() throws IOException {
        Path store = dir.resolve("SESSIONS.ser");
        long now = System.currentTimeMillis();
        new SessionFile(store).save(List.of(new SessionState("kept", now, now, now, 1800, false, Map.of())));
        SessionManager manager = new SessionManager(new SakerServletContext("", getClass().getClassLoader()));
        manager.setStoreFile(store);
        manager.unload();
        assertThat(store).exists();
        manager.load();
        manager.unload();
        manager.unload();
        assertThat(store).as("a second stop keeps what the first saved").exists();
        manager.load();
        assertThat(manager.find("kept")).isNotNull();
    }

    @Test
    void aCorruptStoreIsLoggedAndIgnored() throws IOException {
        Path store = dir.resolve("SESSIONS.ser");
        Files.write(store, new byte[] {1, 2, 3});
        SessionManager manager = new SessionManager(new SakerServletContext("", getClass().getClassLoader()));
        manager.setStoreFile(store);
        manager.load();
        assertThat(manager.size()).isZero();
    }
}
