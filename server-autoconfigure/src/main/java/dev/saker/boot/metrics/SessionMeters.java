package dev.saker.boot.metrics;

import dev.saker.servlet.session.SessionCounts;
import dev.saker.servlet.session.SessionManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.concurrent.TimeUnit;

/** The servlet session meters, Saker's counterparts of Tomcat's {@code tomcat.sessions.*}. */
final class SessionMeters {

    private SessionMeters() {
    }

    static void bind(SessionManager sessions, Tags tags, MeterRegistry registry) {
        SessionCounts counts = sessions.counts();
        Gauge.builder("saker.sessions.active.current", sessions, SessionManager::size).tags(tags)
                .description("Sessions alive now").baseUnit("sessions").register(registry);
        Gauge.builder("saker.sessions.active.max", counts, SessionCounts::activeMax).tags(tags)
                .description("Most sessions alive at once").baseUnit("sessions").register(registry);
        FunctionCounter.builder("saker.sessions.created", counts, SessionCounts::created).tags(tags)
                .description("Sessions created").baseUnit("sessions").register(registry);
        FunctionCounter.builder("saker.sessions.expired", counts, SessionCounts::expired).tags(tags)
                .description("Sessions removed after being idle past their timeout").baseUnit("sessions")
                .register(registry);
        FunctionCounter.builder("saker.sessions.rejected", counts, SessionCounts::rejected).tags(tags)
                .description("Sessions refused because max-active-sessions were alive").baseUnit("sessions")
                .register(registry);
        TimeGauge.builder("saker.sessions.alive.max", counts, TimeUnit.MILLISECONDS, SessionCounts::aliveMaxMillis)
                .tags(tags).description("Longest life of an expired session").register(registry);
    }
}
