package dev.saker.servlet.session;

import dev.saker.servlet.context.SakerServletContext;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory session store of one context: creates sessions with unguessable ids (128 random
 * bits), finds them, changes their id (session-fixation protection), and expires idle ones on
 * {@link #expireIdle()} (called periodically by the container).
 */
public final class SessionManager {

    private final SakerServletContext context;
    private final Map<String, SakerSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public SessionManager(SakerServletContext context) {
        this.context = context;
    }

    SakerServletContext context() {
        return context;
    }

    public SessionCookieConfig cookieConfig() {
        return context.getSessionCookieConfig();
    }

    /** @return the live session with this id, or {@code null} (an expired one is removed first) */
    public SakerSession find(String id) {
        if (id == null) {
            return null;
        }
        SakerSession session = sessions.get(id);
        if (session == null) {
            return null;
        }
        if (session.expired(System.currentTimeMillis())) {
            invalidate(session);
            return null;
        }
        return session;
    }

    public SakerSession create() {
        int timeoutSeconds = context.getSessionTimeout() * 60;
        SakerSession session;
        do {
            session = new SakerSession(this, newId(), timeoutSeconds);
        } while (sessions.putIfAbsent(session.getId(), session) != null);
        HttpSessionEvent event = new HttpSessionEvent(session);
        for (HttpSessionListener l : context.listeners(HttpSessionListener.class)) {
            l.sessionCreated(event);
        }
        return session;
    }

    /** Gives {@code session} a new id, telling {@link HttpSessionIdListener}s. */
    public String changeId(SakerSession session) {
        String old = session.getId();
        String id = newId();
        sessions.remove(old);
        session.changeId(id);
        sessions.put(id, session);
        HttpSessionEvent event = new HttpSessionEvent(session);
        for (HttpSessionIdListener l : context.listeners(HttpSessionIdListener.class)) {
            l.sessionIdChanged(event, old);
        }
        return id;
    }

    void invalidate(SakerSession session) {
        if (sessions.remove(session.getId(), session)) {
            HttpSessionEvent event = new HttpSessionEvent(session);
            for (HttpSessionListener l : context.listeners(HttpSessionListener.class)) {
                l.sessionDestroyed(event);
            }
            session.expireAttributes();
        }
    }

    /** Removes every session idle past its timeout. */
    public void expireIdle() {
        long now = System.currentTimeMillis();
        List<SakerSession> expired = new ArrayList<>();
        for (SakerSession session : sessions.values()) {
            if (session.expired(now)) {
                expired.add(session);
            }
        }
        expired.forEach(this::invalidate);
    }

    /** Invalidates every session (context shutdown). */
    public void invalidateAll() {
        new ArrayList<>(sessions.values()).forEach(this::invalidate);
    }

    public int size() {
        return sessions.size();
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
