package dev.saker.server.observe;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * TLS counters of one server: handshakes by result, handshake durations by protocol version, and
 * the certificates being served (replaced on reload). Updated from every event loop at once.
 */
public final class TlsStats {

    private final Map<String, Timing> succeeded = new ConcurrentHashMap<>();
    private final Map<HandshakeFailure, LongAdder> failed = new EnumMap<>(HandshakeFailure.class);
    private volatile List<ServedCertificate> certificates = List.of();
    private final List<Consumer<List<ServedCertificate>>> certificateListeners = new CopyOnWriteArrayList<>();

    TlsStats() {
        for (HandshakeFailure reason : HandshakeFailure.values()) {
            failed.put(reason, new LongAdder());
        }
    }

    // ---- updates (engine side) ----

    /** Records a finished handshake of {@code protocol} ({@code TLSv1.3}) that took {@code nanos} from accept. */
    public void handshakeSucceeded(String protocol, long nanos) {
        Timing timing = succeeded.get(protocol);
        if (timing == null) {
            timing = succeeded.computeIfAbsent(protocol, p -> new Timing());
        }
        timing.record(nanos);
    }

    public void handshakeFailed(HandshakeFailure reason) {
        failed.get(reason).increment();
    }

    /** Replaces the list of served certificates (at start and on every reload). */
    public void certificates(List<ServedCertificate> served) {
        List<ServedCertificate> now = List.copyOf(served);
        certificates = now;
        for (Consumer<List<ServedCertificate>> listener : certificateListeners) {
            listener.accept(now);
        }
    }

    /**
     * Tells {@code listener} the served certificates now and after every change (start, reload), on
     * the thread that made the change. For monitoring that keeps one row per certificate.
     */
    public void onCertificatesChanged(Consumer<List<ServedCertificate>> listener) {
        certificateListeners.add(listener);
        listener.accept(certificates);
    }

    // ---- reads (monitoring side) ----

    /** @return successful handshakes by protocol version, sorted */
    public Map<String, HandshakeTiming> handshakesSucceeded() {
        Map<String, HandshakeTiming> copy = new TreeMap<>();
        succeeded.forEach((protocol, timing) -> copy.put(protocol, timing.snapshot()));
        return copy;
    }

    /** @return the successful handshakes of {@code protocol}, zero when there were none */
    public HandshakeTiming handshakesSucceeded(String protocol) {
        Timing timing = succeeded.get(protocol);
        return timing == null ? new HandshakeTiming(0, 0, 0) : timing.snapshot();
    }

    public long handshakesSucceededTotal() {
        long total = 0;
        for (Timing timing : succeeded.values()) {
            total += timing.count.sum();
        }
        return total;
    }

    public long handshakesFailed(HandshakeFailure reason) {
        return failed.get(reason).sum();
    }

    public long handshakesFailedTotal() {
        long total = 0;
        for (LongAdder adder : failed.values()) {
            total += adder.sum();
        }
        return total;
    }

    /** @return the certificates served now, leaf certificates first for each server name */
    public List<ServedCertificate> certificates() {
        return certificates;
    }

    /**
     * Count, summed and longest duration of the successful handshakes of one protocol version.
     *
     * @param count handshakes
     * @param totalNanos their summed duration from accept to finish
     * @param maxNanos the longest of them
     */
    public record HandshakeTiming(long count, long totalNanos, long maxNanos) {
    }

    private static final class Timing {
        final LongAdder count = new LongAdder();
        final LongAdder total = new LongAdder();
        final LongAccumulator max = new LongAccumulator(Math::max, 0);

        void record(long nanos) {
            count.increment();
            total.add(nanos);
            max.accumulate(nanos);
        }

        HandshakeTiming snapshot() {
            return new HandshakeTiming(count.sum(), total.sum(), max.get());
        }
    }
}
