package dev.saker.servlet.session;

import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory session store of one context: creates sessions with unguessable ids (128 random
 * bits), finds them, changes their id (session-fixation protection), and expires idle ones on
 * {@link #expireIdle()} (called periodically by the container). With a store file
 * ({@link #setStoreFile}), sessions outlive a restart: {@link #unload()} saves and passivates them,
 * {@link #load()} reads and activates them. With a limit ({@link #setMaxActiveSessions}), a session
 * is refused, with an {@link IllegalStateException}, while that many are alive.
 */
public final class SessionManager {

    private static final Logger log = LoggerFactory.getLogger(SessionManager.class);

    private final SessionContext context;
    private final Map<String, SakerSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile SessionFile store;
    private boolean loaded;
    private final SessionAttributeEvents attributeEvents;
    private final SessionCounts counts = new SessionCounts();
    /** Held while a session is checked against the limit and stored, so that racing creations cannot pass it. */
    private final Object limitLock = new Object();
    private volatile int maxActive = -1;

    public SessionManager(SessionContext context) {
        this.context = context;
        this.attributeEvents = new SessionAttributeEvents(context);
    }

    /** @return what tells values and listeners about session attribute changes (shared by all sessions) */
    SessionAttributeEvents attributeEvents() {
        return attributeEvents;
    }

    /** @return sessions created and expired, and the peaks, for monitoring */
    public SessionCounts counts() {
        return counts;
    }

    SessionContext context() {
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
        long now = System.currentTimeMillis();
        if (session.expired(now)) {
            expire(session, now);
            return null;
        }
        return session;
    }

    /**
     * Sets the most sessions alive at once (Tomcat's {@code maxActiveSessions}); negative (the
     * default, -1) for no limit. Sessions restored from the store count towards it but are never
     * refused.
     */
    public void setMaxActiveSessions(int max) {
        this.maxActive = max;
    }

    /** @return the most sessions alive at once, or -1 for no limit */
    public int maxActiveSessions() {
        return maxActive < 0 ? -1 : maxActive;
    }

    /**
     * @return a new session with a fresh id
     * @throws IllegalStateException when {@link #setMaxActiveSessions the limit} of live sessions is
     *                               reached (counted as {@link SessionCounts#rejected()})
     */
    public SakerSession create() {
        int timeoutSeconds = context.getSessionTimeout() * 60;
        SakerSession session;
        do {
            session = new SakerSession(this, newId(), timeoutSeconds);
        } while (store(session) != null);
        return created(session);
    }

    /**
     * A session whose id is given (SSL session tracking: the TLS session's id); when one with that
     * id appeared meanwhile (a resumed TLS session on another connection), that one.
     *
     * @throws IllegalStateException when a new session is needed and the limit of live sessions is reached
     */
    public SakerSession create(String id) {
        SakerSession session = new SakerSession(this, id, context.getSessionTimeout() * 60);
        SakerSession existing = store(session);
        return existing != null ? existing : created(session);
    }

    /** Stores {@code session} unless its id is taken (then returns the holder) or the limit is reached (then throws). */
    private SakerSession store(SakerSession session) {
        if (maxActive < 0) {
            return sessions.putIfAbsent(session.getId(), session);
        }
        if (sessions.size() >= maxActive) {
            // Idle sessions the periodic sweep has not reached yet must not hold the room. Outside the
            // lock: it tells listeners, whose code must not run while creations wait.
            expireIdle();
        }
        synchronized (limitLock) {
            SakerSession existing = sessions.get(session.getId());
            if (existing != null) {
                return existing;
            }
            int max = maxActive;
            if (max >= 0 && sessions.size() >= max) {
                counts.rejection();
                throw new IllegalStateException("cannot create a session: " + sessions.size()
                        + " sessions are active, the most this context allows (max-active-sessions " + max + ")");
            }
            return sessions.putIfAbsent(session.getId(), session);
        }
    }

    private SakerSession created(SakerSession session) {
        counts.created(sessions.size());
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
        remove(session);
    }

    /** Invalidates {@code session} as expired at {@code now}, counted unless another thread ended it first. */
    private void expire(SakerSession session, long now) {
        long alive = now - session.creationTimeMillis();
        if (remove(session)) {
            counts.expired(alive);
        }
    }

    /** @return whether this call removed {@code session} (and told the listeners) */
    private boolean remove(SakerSession session) {
        if (sessions.remove(session.getId(), session)) {
            HttpSessionEvent event = new HttpSessionEvent(session);
            for (HttpSessionListener l : context.listeners(HttpSessionListener.class)) {
                l.sessionDestroyed(event);
            }
            session.expireAttributes();
            return true;
        }
        return false;
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
        for (SakerSession session : expired) {
            expire(session, now);
        }
    }

    /** Invalidates every session (context shutdown). */
    public void invalidateAll() {
        new ArrayList<>(sessions.values()).forEach(this::invalidate);
    }

    /** Persists sessions across restarts in {@code file} ({@code null}: sessions live in memory only). */
    public void setStoreFile(Path file) {
        this.store = file == null ? null : new SessionFile(file);
    }

    /** @return the file sessions are persisted in, or {@code null} */
    public Path storeFile() {
        SessionFile file = store;
        return file == null ? null : file.path();
    }

    /**
     * Reads the sessions saved by {@link #unload()} (once; again only after the next unload):
     * expired ones are dropped, the others' {@link HttpSessionActivationListener} values are told
     * {@code sessionDidActivate}. A store that cannot be read is logged and left behind.
     */
    public synchronized void load() {
        SessionFile file = store;
        if (file == null || loaded) {
            return;
        }
        loaded = true;
        List<SessionState> saved;
        try {
            saved = file.load(context.getClassLoader());
        } catch (IOException | RuntimeException e) {
            log.warn("cannot load the sessions saved in {}: starting without them", file.path(), e);
            return;
        }
        long now = System.currentTimeMillis();
        int restored = 0;
        for (SessionState state : saved) {
            if (state.expired(now)) {
                continue;
            }
            SakerSession session = SakerSession.restored(this, state);
            if (sessions.putIfAbsent(session.getId(), session) == null) {
                restored++;
                counts.active(sessions.size());
                HttpSessionEvent event = new HttpSessionEvent(session);
                for (Object value : state.attributes().values()) {
                    if (value instanceof HttpSessionActivationListener) {
                        ((HttpSessionActivationListener) value).sessionDidActivate(event);
                    }
                }
            }
        }
        log.debug("restored {} of {} saved sessions from {}", restored, saved.size(), file.path());
    }

    /**
     * Saves the live sessions to the store and takes them out of memory without ending them
     * (no {@code sessionDestroyed}): their {@link HttpSessionActivationListener} values are told
     * {@code sessionWillPassivate} first. Expired sessions are invalidated instead.
     */
    public synchronized void unload() {
        SessionFile file = store;
        if (file == null || !loaded) {
            return;
        }
        loaded = false;
        expireIdle();
        List<SakerSession> live = new ArrayList<>(sessions.values());
        List<SessionState> states = new ArrayList<>(live.size());
        for (SakerSession session : live) {
            HttpSessionEvent event = new HttpSessionEvent(session);
            SessionState state = session.state();
            for (Object value : state.attributes().values()) {
                if (value instanceof HttpSessionActivationListener) {
                    ((HttpSessionActivationListener) value).sessionWillPassivate(event);
                }
            }
            states.add(session.state());
        }
        try {
            file.save(states);
        } catch (IOException | RuntimeException e) {
            log.error("cannot save {} sessions to {}: they are lost", states.size(), file.path(), e);
        }
        for (SakerSession session : live) {
            sessions.remove(session.getId(), session);
            session.passivated();
        }
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
