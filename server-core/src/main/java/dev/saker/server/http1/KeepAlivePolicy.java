package dev.saker.server.http1;

import dev.saker.server.observe.CloseReason;

/**
 * Whether a connection stays open after the current response, and why not: decided once, when the
 * response commits, from the request's version and {@code Connection} field, the response's own
 * {@code Connection: close}, a draining server, a client that half-closed, the keep-alive request
 * limit and a request body that cannot be drained. Later reasons never replace the first. Owns the
 * {@code Connection} field the response head carries. Loop only.
 */
final class KeepAlivePolicy {

    /** {@link ResponseEncoder}'s {@code Connection} field choices. */
    static final int FIELD_NONE = 0;
    static final int FIELD_CLOSE = 1;
    static final int FIELD_KEEP_ALIVE = 2;
    /** {@code Connection: Upgrade}, on a {@code 101 Switching Protocols}. */
    static final int FIELD_UPGRADE = 3;

    private final Http1Runtime rt;
    private boolean closeAfter;
    private CloseReason closeAfterReason;

    KeepAlivePolicy(Http1Runtime rt) {
        this.rt = rt;
    }

    /** A new exchange begins: nothing is decided yet. */
    void reset() {
        closeAfter = false;
        closeAfterReason = null;
    }

    /**
     * Decides, at commit, whether the connection closes after this response.
     *
     * @param connectionField the response's {@code Connection} field, or null
     * @param requests the requests begun on this connection, this one included
     * @param clientDone whether the client half-closed and no further request is buffered
     * @param bodyDrainable whether what the handler leaves of the request body can be drained
     *        (see {@link RequestBodyReader#drainable()})
     */
    void decide(String connectionField, RequestHead head, int requests, boolean clientDone, boolean bodyDrainable) {
        if (connectionField != null && containsToken(connectionField, "close")) {
            closeAfter(CloseReason.SERVER);
        } else if (!head.wantsKeepAlive()) {
            closeAfter(CloseReason.SERVER);
        } else if (rt.draining()) {
            closeAfter(CloseReason.SHUTDOWN);
        } else if (clientDone) {
            closeAfter(CloseReason.CLIENT);
        } else if (rt.config.maxKeepAliveRequests() > 0 && requests >= rt.config.maxKeepAliveRequests()) {
            closeAfter(CloseReason.SERVER);
        } else if (!bodyDrainable) {
            closeAfter(CloseReason.UNREAD_BODY);
        }
    }

    /** The connection closes after this response; the first reason given is the one kept. */
    void closeAfter(CloseReason reason) {
        if (!closeAfter) {
            closeAfter = true;
            closeAfterReason = reason;
        }
    }

    /**
     * @return whether the connection closes once the response is out. A response committed before
     *         the server began draining promised to keep the connection: it stays open, and closes
     *         as an idle connection of a draining server does (after the drain grace), so a request
     *         the client sends on the strength of that promise is still served.
     */
    boolean closesAfterResponse() {
        return closeAfter;
    }

    /** @return why the connection closes after the response (call when {@link #closesAfterResponse()}) */
    CloseReason closeReason() {
        return closeAfterReason;
    }

    /** @return the {@code Connection} field of the response head, as {@link ResponseEncoder} takes it */
    int connectionField(RequestHead head) {
        if (closeAfter) {
            return FIELD_CLOSE;
        }
        return head.isHttp11() ? FIELD_NONE : FIELD_KEEP_ALIVE;
    }

    private static boolean containsToken(String value, String token) {
        int n = value.length() - token.length();
        for (int i = 0; i <= n; i++) {
            if (value.regionMatches(true, i, token, 0, token.length())) {
                return true;
            }
        }
        return false;
    }
}
