package dev.saker.server.observe;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** Admission control counters: rejections by reason, and the size of the client table and concurrency limit. */
public final class AdmissionStats {

    private final Map<AdmissionRejection, LongAdder> rejected = new EnumMap<>(AdmissionRejection.class);
    private volatile IntSupplier trackedClients = () -> 0;
    private volatile IntSupplier concurrencyLimit = () -> -1;

    public AdmissionStats() {
        for (AdmissionRejection reason : AdmissionRejection.values()) {
            rejected.put(reason, new LongAdder());
        }
    }

    /** Counts one connection or request refused for {@code reason}. */
    public void rejected(AdmissionRejection reason) {
        rejected.get(reason).increment();
    }

    /** @return connections or requests refused for {@code reason} since start */
    public long rejectedCount(AdmissionRejection reason) {
        return rejected.get(reason).sum();
    }

    /** @return every rejection since start, whatever its reason */
    public long rejectedTotal() {
        long total = 0;
        for (LongAdder adder : rejected.values()) {
            total += adder.sum();
        }
        return total;
    }

    /** Wires the gauges to the running admission control (done once by the engine at start). */
    public void bind(IntSupplier trackedClients, IntSupplier concurrencyLimit) {
        this.trackedClients = trackedClients;
        this.concurrencyLimit = concurrencyLimit;
    }

    /** @return clients in the per-client table now (0 when per-client limits are off) */
    public int trackedClients() {
        return trackedClients.getAsInt();
    }

    /** @return the current limit of concurrent requests (adaptive or fixed), or -1 when off */
    public int concurrencyLimit() {
        return concurrencyLimit.getAsInt();
    }
}
