package dev.saker.servlet.session;

import dev.saker.servlet.attributes.AttributeMap;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.util.Enumeration;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link HttpSession}; thread-safe, since requests of one session may run at once. */
public final class SakerSession implements HttpSession {

    private final SessionManager manager;
    private volatile String id;
    private final long creationTime;
    private volatile long lastAccessedTime;
    private volatile long thisAccessedTime;
    private volatile int maxInactiveInterval;
    private volatile boolean isNew = true;
    private volatile boolean valid = true;
    private final AttributeMap attributes;

    SakerSession(SessionManager manager, String id, int maxInactiveIntervalSeconds) {
        this(manager, id, System.currentTimeMillis(), maxInactiveIntervalSeconds);
    }

    private SakerSession(SessionManager manager, String id, long creationTime, int maxInactiveIntervalSeconds) {
        this.manager = manager;
        this.id = id;
        this.creationTime = creationTime;
        this.lastAccessedTime = creationTime;
        this.thisAccessedTime = creationTime;
        this.maxInactiveInterval = maxInactiveIntervalSeconds;
        this.attributes = new AttributeMap(new ConcurrentHashMap<>(), this, manager.attributeEvents(), manager.attributeEvents());
    }

    /** A session read back from a session store, with its times and attributes as they were saved. */
    static SakerSession restored(SessionManager manager, SessionState state) {
        SakerSession session = new SakerSession(manager, state.id(), state.creationTime(), state.maxInactiveInterval());
        session.lastAccessedTime = state.lastAccessedTime();
        session.thisAccessedTime = state.thisAccessedTime();
        session.isNew = state.isNew();
        session.attributes.restore(state.attributes());
        return session;
    }

    /** @return when this session was created, in epoch milliseconds (also once it is invalid) */
    long creationTimeMillis() {
        return creationTime;
    }

    /** @return this session's state for a session store (attributes as they are now, unfiltered) */
    SessionState state() {
        return new SessionState(id, creationTime, lastAccessedTime, thisAccessedTime, maxInactiveInterval, isNew,
                attributes.snapshot());
    }

    /** Leaves memory after being saved: invalid here, with no listener told (it lives on in the store). */
    void passivated() {
        valid = false;
        attributes.clearSilently();
    }

    /** Marks an access by a new request (the previous access becomes the "last accessed" time). */
    public void access() {
        lastAccessedTime = thisAccessedTime;
        thisAccessedTime = System.currentTimeMillis();
        isNew = false;
    }

    public boolean isValidInternal() {
        return valid;
    }

    boolean expired(long now) {
        return valid && maxInactiveInterval > 0 && now - thisAccessedTime > maxInactiveInterval * 1000L;
    }

    void changeId(String newId) {
        this.id = newId;
    }

    /** Unbinds every attribute and marks the session invalid (listeners are told by the manager). */
    void expireAttributes() {
        valid = false;
        attributes.removeAll();
    }

    private void checkValid(String method) {
        if (!valid) {
            throw new IllegalStateException(method + ": the session has been invalidated");
        }
    }

    @Override
    public long getCreationTime() {
        checkValid("getCreationTime");
        return creationTime;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public long getLastAccessedTime() {
        checkValid("getLastAccessedTime");
        return lastAccessedTime;
    }

    @Override
    public ServletContext getServletContext() {
        return manager.context();
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        this.maxInactiveInterval = interval;
    }

    @Override
    public int getMaxInactiveInterval() {
        return maxInactiveInterval;
    }

    @Override
    public Object getAttribute(String name) {
        checkValid("getAttribute");
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        checkValid("getAttributeNames");
        return attributes.names();
    }

    @Override
    public void setAttribute(String name, Object value) {
        checkValid("setAttribute");
        if (name == null) {
            throw new IllegalArgumentException("attribute name is null");
        }
        attributes.set(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        checkValid("removeAttribute");
        attributes.remove(name);
    }

    @Override
    public void invalidate() {
        checkValid("invalidate");
        manager.invalidate(this);
    }

    @Override
    public boolean isNew() {
        checkValid("isNew");
        return isNew;
    }
}
