package dev.saker.servlet.request;

import dev.saker.servlet.response.SakerResponse;
import dev.saker.servlet.session.SakerSession;
import dev.saker.servlet.session.SessionManager;
import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSession;

/**
 * The session side of one request: the requested session id (cookie first, then the URL when the
 * context tracks sessions by URL; with SSL tracking, the TLS session's id), finding or creating the
 * session, and changing its id. Created on first use, since most requests never ask.
 */
final class RequestSessions {

    private final SakerRequest request;
    private final SessionManager sessions;
    private SakerSession session;
    private boolean lookedUp;
    private String requestedId;
    private boolean requestedIdFromCookie;
    private boolean requestedIdFromSsl;

    RequestSessions(SakerRequest request, SessionManager sessions) {
        this.request = request;
        this.sessions = sessions;
    }

    HttpSession getSession(boolean create) {
        if (session != null && session.isValidInternal()) {
            return session;
        }
        if (!lookedUp) {
            lookedUp = true;
            lookUpRequestedId();
            if (requestedId != null) {
                session = sessions.find(requestedId);
                if (session != null) {
                    session.access();
                    return session;
                }
            }
        }
        if (!create) {
            return null;
        }
        SakerResponse response = request.response();
        if (response != null && response.isCommitted()) {
            throw new IllegalStateException("cannot create a session after the response is committed");
        }
        if (sslTracking()) {
            // Tomcat's SSL tracking: the session's id is the TLS session's; nothing is sent to the client.
            String tlsId = request.tlsSessionId();
            if (tlsId == null) {
                throw new IllegalStateException("SSL session tracking: this request did not come over TLS");
            }
            session = sessions.create(tlsId);
            session.access();
            return session;
        }
        session = sessions.create();
        response.addSessionCookie(session.getId(), sessions.cookieConfig(), request.getContextPath());
        return session;
    }

    String changeSessionId() {
        HttpSession current = getSession(false);
        if (current == null) {
            throw new IllegalStateException("no session to change the id of");
        }
        if (sslTracking()) {
            throw new IllegalStateException("SSL session tracking: a session's id is its TLS session's id and cannot "
                    + "change (a new id would lose the session)");
        }
        String id = sessions.changeId((SakerSession) current);
        request.response().addSessionCookie(id, sessions.cookieConfig(), request.getContextPath());
        return id;
    }

    String requestedId() {
        if (!lookedUp) {
            lookedUp = true;
            lookUpRequestedId();
        }
        return requestedId;
    }

    boolean requestedIdValid() {
        String id = requestedId();
        return id != null && sessions.find(id) != null;
    }

    boolean requestedIdFromCookie() {
        requestedId();
        return requestedIdFromCookie;
    }

    boolean requestedIdFromUrl() {
        requestedId();
        return requestedId != null && !requestedIdFromCookie && !requestedIdFromSsl;
    }

    private boolean sslTracking() {
        return request.getServletContext().getEffectiveSessionTrackingModes().contains(SessionTrackingMode.SSL);
    }

    private void lookUpRequestedId() {
        if (sslTracking()) {
            requestedId = request.tlsSessionId();
            requestedIdFromSsl = requestedId != null;
            return;
        }
        ServletContext context = request.getServletContext();
        String name = context.getSessionCookieConfig().getName();
        Cookie[] all = request.getCookies();
        if (all != null) {
            for (Cookie cookie : all) {
                if (cookie.getName().equals(name)) {
                    requestedId = cookie.getValue();
                    requestedIdFromCookie = true;
                    if (sessions.find(requestedId) != null) {
                        return;
                    }
                }
            }
        }
        String fromUrl = request.path().sessionId();
        if (requestedId == null && fromUrl != null
                && context.getEffectiveSessionTrackingModes().contains(SessionTrackingMode.URL)) {
            requestedId = fromUrl;
        }
    }
}
