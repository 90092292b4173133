package dev.saker.servlet.session;

import java.util.Map;

/** What a session store keeps of one session. */
record SessionState(String id, long creationTime, long lastAccessedTime, long thisAccessedTime,
                    int maxInactiveInterval, boolean isNew, Map<String, Object> attributes) {

    boolean expired(long now) {
        return maxInactiveInterval > 0 && now - thisAccessedTime > maxInactiveInterval * 1000L;
    }
}
