package dev.saker.server.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingFileOutputTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("fixed to UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void rollsDailyAndKeepsMaxHistoryDays(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("access_log.2026-01-01.log"), "old\n");
        Files.writeString(dir.resolve("other.2026-01-01.log"), "not ours\n");
        Files.writeString(dir.resolve("access_log.notadate.log"), "not ours\n");
        MovableClock clock = new MovableClock(Instant.parse("2026-03-01T23:59:59Z"));
        RollingFileOutput out = new RollingFileOutput(dir, "access_log.", 2, clock);
        out.write("one");
        out.endBatch();
        assertThat(Files.readAllLines(dir.resolve("access_log.2026-03-01.log"))).containsExactly("one");
        assertThat(dir.resolve("access_log.2026-01-01.log")).doesNotExist();

        clock.now = Instant.parse("2026-03-02T00:00:00Z");
        out.write("two");
        out.write("three");
        out.endBatch();
        assertThat(Files.readAllLines(out.file(LocalDate.of(2026, 3, 2)))).containsExactly("two", "three");
        assertThat(dir.resolve("access_log.2026-03-01.log")).exists();

        clock.now = Instant.parse("2026-03-03T08:00:00Z");
        out.write("four");
        out.close();
        assertThat(dir.resolve("access_log.2026-03-01.log")).doesNotExist();
        assertThat(Files.readAllLines(dir.resolve("access_log.2026-03-03.log"))).containsExactly("four");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(List.of(
                    "access_log.2026-03-02.log", "access_log.2026-03-03.log", "access_log.notadate.log",
                    "other.2026-01-01.log"));
        }
    }

    @Test
    void appendsToTheDaysFileAfterARestart(@TempDir Path dir) throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-05-05T10:00:00Z"), ZoneOffset.UTC);
        RollingFileOutput first = new RollingFileOutput(dir, "management_access_log.", 0, clock);
        first.write("a");
        first.close();
        RollingFileOutput second = new RollingFileOutput(dir, "management_access_log.", 0, clock);
        second.write("b");
        second.close();
        assertThat(Files.readAllLines(dir.resolve("management_access_log.2026-05-05.log"))).containsExactly("a", "b");
    }
}
