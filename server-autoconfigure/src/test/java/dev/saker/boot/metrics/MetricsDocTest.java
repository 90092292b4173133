package dev.saker.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.TimeoutKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/metrics.md names every value of the {@code reason} and {@code kind} tags the binder registers. */
class MetricsDocTest {

    private static String row(String meter) throws IOException {
        return Files.readAllLines(Path.of("..", "docs", "metrics.md")).stream()
                .filter(line -> line.startsWith("| `" + meter + "` |")).findFirst()
                .orElseThrow(() -> new AssertionError(meter + " has no row in docs/metrics.md"));
    }

    private static List<String> backticked(List<String> values) {
        return values.stream().map(v -> "`" + v + "`").collect(Collectors.toList());
    }

    @Test
    void everyCloseReasonIsDocumented() throws IOException {
        assertThat(row("saker.connections.closed")).contains(
                backticked(Arrays.stream(CloseReason.values()).map(ReasonMeters::tag).collect(Collectors.toList())));
    }

    @Test
    void everyTimeoutKindIsDocumented() throws IOException {
        assertThat(row("saker.timeouts")).contains(
                backticked(Arrays.stream(TimeoutKind.values()).map(ReasonMeters::tag).collect(Collectors.toList())));
    }

    @Test
    void everyParseErrorReasonIsDocumented() throws IOException {
        assertThat(row("saker.parse.errors")).contains(backticked(ReasonMeters.PARSE_REASONS))
                .contains("`" + ReasonMeters.OTHER + "`");
    }
}
