package dev.saker.server.http1;

import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.TimeoutKind;

/**
 * The deadlines of one connection, checked by its loop's sweep: since when it has been in its
 * current state (idle, reading a head, in an exchange, draining a body), since when it has held an
 * exchange abandoned by a closed connection, and, through the {@link WriteGate}, since when it
 * could not write. Finds which bound has passed, counts the timeout and lets the connection act.
 * Loop only.
 */
final class Deadlines {

    private final Http1Connection connection;
    private final Http1Runtime rt;
    private final WriteGate gate;
    private final RequestBodyReader body;
    private final ResponseWriter writer;
    private long stateSince;
    /**
     * When the connection last did something, for the drain grace: the state's start, or later
     * for the first idle state when a stage before (a TLS handshake) was busy until then.
     */
    private long activeSince;
    /** When the connection closed under an async exchange that is still open, or 0. */
    private long abandonedSince;

    Deadlines(Http1Connection connection, Http1Runtime rt, WriteGate gate, RequestBodyReader body,
            ResponseWriter writer) {
        this.connection = connection;
        this.rt = rt;
        this.gate = gate;
        this.body = body;
        this.writer = writer;
    }

    /** The connection entered a new state at {@code now}: its deadline starts over. */
    void stateEntered(long now) {
        stateSince = now;
        activeSince = now;
    }

    /**
     * The connection starts idle at {@code now}, accepted at {@code acceptedAt} (earlier when a
     * stage before it, a TLS handshake, took the time between): the first head is due within the
     * head timeout of accept, but the connection was busy until now, so a drain's grace counts
     * from now.
     */
    void opened(long acceptedAt, long now) {
        stateSince = acceptedAt;
        activeSince = now;
    }

    /** The connection closed at {@code now} under an exchange another thread may still complete. */
    void abandoned(long now) {
        abandonedSince = now;
    }

    /** @return whether the connection is closed but kept on the loop's list for an abandoned exchange */
    boolean holdsAbandoned() {
        return abandonedSince != 0;
    }

    /** Enforces every deadline at {@code now} ({@link System#nanoTime()}). */
    void check(long now) {
        if (abandonedSince != 0 && connection.isClosed()) {
            connection.sweepAbandoned(now - abandonedSince > rt.keepAliveTimeoutNanos);
            return;
        }
        // First, and in every state: a connection closing after a final response it cannot deliver
        // (the client does not read) is CLOSED already but still holds that output.
        if (gate.unwritableLongerThan(now, rt.writeTimeoutNanos)) {
            rt.stats.timeout(TimeoutKind.WRITE);
            connection.writeTimedOut();
            return;
        }
        int state = connection.state();
        if (state == Http1Connection.CLOSED) {
            return;
        }
        long age = now - stateSince;
        switch (state) {
            case Http1Connection.IDLE:
                if (rt.drainGraceOver(activeSince, now)) {
                    // Idle for the grace (since the drain began, at the earliest): a request a
                    // balancer was sending on it has had that long to arrive (it would have left IDLE).
                    connection.closeNow(CloseReason.SHUTDOWN);
                    break;
                }
                boolean first = connection.requests() == 0;
                if (first ? age > rt.headTimeoutNanos : age > rt.keepAliveTimeoutNanos) {
                    rt.stats.timeout(first ? TimeoutKind.HEAD : TimeoutKind.KEEP_ALIVE);
                    connection.closeNow(first ? CloseReason.HEAD_TIMEOUT : CloseReason.KEEP_ALIVE_TIMEOUT);
                }
                break;
            case Http1Connection.HEAD:
                if (age > rt.headTimeoutNanos) {
                    rt.stats.timeout(TimeoutKind.HEAD);
                    connection.headTimedOut();
                }
                break;
            case Http1Connection.EXCHANGE:
                if (connection.inputClosed() && !writer.headWritten() && age > rt.keepAliveTimeoutNanos) {
                    // The client half-closed and no response has started for a whole idle period: a
                    // response that never comes (a forgotten async exchange) must not hold the socket.
                    rt.stats.timeout(TimeoutKind.KEEP_ALIVE);
                    connection.closeNow(CloseReason.CLIENT);
                    break;
                }
                if (body.readTimedOut(now)) {
                    rt.stats.timeout(TimeoutKind.BODY_READ);
                    connection.bodyReadTimedOut();
                }
                break;
            case Http1Connection.UPGRADE:
                if (age > rt.bodyReadTimeoutNanos) {
                    // The body of a request asking for a protocol switch is read whole first.
                    rt.stats.timeout(TimeoutKind.BODY_READ);
                    connection.upgradeBodyTimedOut();
                }
                break;
            case Http1Connection.DRAIN:
                if (age > rt.bodyReadTimeoutNanos) {
                    rt.stats.timeout(TimeoutKind.BODY_READ);
                    connection.closeNow(CloseReason.BODY_READ_TIMEOUT);
                }
                break;
            default:
                break;
        }
    }
}
