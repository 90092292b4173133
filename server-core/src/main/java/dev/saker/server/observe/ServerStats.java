package dev.saker.server.observe;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one server: cheap to update from every event loop at once (striped adders),
 * read by monitoring (the Micrometer binder of the Boot integration reads these). Counts since start.
 */
public final class ServerStats {

    private final AtomicInteger connectionsActive = new AtomicInteger();
    private final LongAdder connectionsAccepted = new LongAdder();
    private final LongAdder acceptPauses = new LongAdder();
    private final LongAdder connectionsClosed = new LongAdder();
    private final LongAdder connectionNanos = new LongAdder();
    private final Map<CloseReason, LongAdder> closedBy = new EnumMap<>(CloseReason.class);
    private final AtomicInteger requestsActive = new AtomicInteger();
    private final LongAdder requestsTotal = new LongAdder();
    private final LongAdder[] responsesByClass = new LongAdder[6];
    private final LongAdder requestsRejected = new LongAdder();
    private final Map<String, LongAdder> parseErrors = new ConcurrentHashMap<>();
    private final Map<TimeoutKind, LongAdder> timeouts = new EnumMap<>(TimeoutKind.class);
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder bodyHandOffs = new LongAdder();
    private final TlsStats tls = new TlsStats();
    private final Http2Stats http2 = new Http2Stats();
    private final AdmissionStats admission = new AdmissionStats();
    private final WebSocketStats webSocket = new WebSocketStats();

    public ServerStats() {
        for (CloseReason reason : CloseReason.values()) {
            closedBy.put(reason, new LongAdder());
        }
        for (TimeoutKind kind : TimeoutKind.values()) {
            timeouts.put(kind, new LongAdder());
        }
        for (int i = 0; i < responsesByClass.length; i++) {
            responsesByClass[i] = new LongAdder();
        }
    }

    // ---- updates (engine side) ----

    /** Records a new connection (it was accepted: connections over the limit wait in the backlog). */
    public void connectionOpened() {
        connectionsActive.incrementAndGet();
        connectionsAccepted.increment();
    }

    /** Counts a pause of accepting because {@code maxConnections} connections were open. */
    public void acceptPaused() {
        acceptPauses.increment();
    }

    /** Records the close of an admitted connection that lived {@code nanos}. */
    public void connectionClosed(CloseReason reason, long nanos) {
        connectionsClosed.increment();
        connectionNanos.add(nanos);
        closedBy.get(reason).increment();
        // Last: whoever sees the active count drop also sees why the connection closed.
        connectionsActive.decrementAndGet();
    }

    public void requestStarted() {
        requestsActive.incrementAndGet();
        requestsTotal.increment();
    }

    public void requestFinished(int status) {
        requestsActive.decrementAndGet();
        responseSent(status);
    }

    /** Counts a response sent without a handler (an engine error response). */
    public void responseSent(int status) {
        responsesByClass[Math.min(Math.max(status / 100, 0), 5)].increment();
    }

    /** Counts a request refused because every worker was busy and the queue full (503). */
    public void requestRejected() {
        requestsRejected.increment();
    }

    public void parseError(String reason) {
        parseErrors.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void timeout(TimeoutKind kind) {
        timeouts.get(kind).increment();
    }

    public void received(long bytes) {
        bytesReceived.add(bytes);
    }

    public void sent(long bytes) {
        bytesSent.add(bytes);
    }

    /** Counts one push of request body bytes from an event loop to a blocking reader. */
    public void bodyHandOff() {
        bodyHandOffs.increment();
    }

    // ---- reads (monitoring side) ----

    /** @return the TLS handshake counters and served certificates (empty without TLS) */
    public TlsStats tls() { return tls; }

    /** @return admission control's rejections by reason (zero while it is off) */
    public AdmissionStats admission() { return admission; }

    /** @return the HTTP/2 stream, reset and GOAWAY counters (zero without HTTP/2) */
    public Http2Stats http2() { return http2; }

    /** @return the WebSocket session, message and close-code counters (zero without WebSocket) */
    public WebSocketStats webSocket() { return webSocket; }

    public int connectionsActive() { return connectionsActive.get(); }
    public long connectionsAccepted() { return connectionsAccepted.sum(); }
    /** @return how many times accepting paused at {@code maxConnections} (new connections then wait in the backlog) */
    public long acceptPauses() { return acceptPauses.sum(); }
    public long connectionsClosed() { return connectionsClosed.sum(); }
    /** @return the summed lifetime of every closed connection, in nanoseconds */
    public long connectionsClosedNanos() { return connectionNanos.sum(); }
    public long connectionsClosed(CloseReason reason) { return closedBy.get(reason).sum(); }
    public int requestsActive() { return requestsActive.get(); }
    public long requestsTotal() { return requestsTotal.sum(); }
    public long requestsRejected() { return requestsRejected.sum(); }

    /** @param statusClass 1 to 5 (1xx to 5xx) */
    public long responses(int statusClass) {
        if (statusClass < 1 || statusClass > 5) {
            throw new IllegalArgumentException("status class must be 1..5: " + statusClass);
        }
        return responsesByClass[statusClass].sum();
    }

    /** @return parse errors by reason key (for example {@code bare_lf}, {@code head_too_large}), sorted */
    public Map<String, Long> parseErrors() {
        Map<String, Long> copy = new TreeMap<>();
        parseErrors.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    /** @return the parse errors counted under {@code reason} (0 for a reason never seen) */
    public long parseErrors(String reason) {
        LongAdder adder = parseErrors.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    public long parseErrorsTotal() {
        long total = 0;
        for (LongAdder adder : parseErrors.values()) {
            total += adder.sum();
        }
        return total;
    }

    public long timeouts(TimeoutKind kind) { return timeouts.get(kind).sum(); }
    public long bytesReceived() { return bytesReceived.sum(); }
    public long bytesSent() { return bytesSent.sum(); }
    /**
     * @return request body hand-offs from the event loops to blocking readers: one per read batch
     *         that brought body bytes to a waiting reader (however many chunks it held), so a
     *         reader costs few wake-ups
     */
    public long bodyHandOffs() { return bodyHandOffs.sum(); }

    @Override
    public String toString() {
        return "ServerStats[connections active=" + connectionsActive() + " accepted=" + connectionsAccepted()
                + " acceptPauses=" + acceptPauses() + ", requests active=" + requestsActive()
                + " total=" + requestsTotal() + ", parseErrors=" + parseErrors() + "]";
    }
}
