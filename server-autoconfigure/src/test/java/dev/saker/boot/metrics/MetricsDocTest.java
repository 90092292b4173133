package dev.saker.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.accesslog.AccessLogSettings;
import dev.saker.boot.servlet.SakerServletWebServerFactory;
import dev.saker.server.accesslog.AccessLog;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.testing.MetricsDoc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.Http2;

/**
 * docs/metrics.md names every value of the {@code reason} and {@code kind} tags the binder registers,
 * has a row for every meter it registers, and gives every row an example query that names the row's
 * Prometheus series.
 */
class MetricsDocTest {

    /** A cell boundary: a pipe not escaped with a backslash. */
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    /** One row of a meter table, by column header. */
    private record Row(int line, Map<String, String> cells) {
        String cell(String header) {
            return cells.entrySet().stream().filter(e -> e.getKey().contains(header)).map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new AssertionError("line " + line + ": no column '" + header + "' in " + cells.keySet()));
        }
    }

    /** Every row of every table whose first column is {@code meter}; a row with a cell too many or too few fails. */
    private static List<Row> meterRows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "metrics.md"));
        List<Row> rows = new ArrayList<>();
        List<String> header = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("|")) {
                header = null;
                continue;
            }
            List<String> cells = MetricsDoc.cells(line);
            if (header == null) {
                header = cells.get(0).equals("meter") ? cells : List.of();
                continue;
            }
            if (header.isEmpty() || cells.get(0).startsWith("---")) {
                continue;
            }
            assertThat(cells).as("docs/metrics.md line %d: one cell per column of %s", i + 1, header)
                    .hasSameSizeAs(header);
            Map<String, String> byHeader = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                byHeader.put(header.get(c), cells.get(c));
            }
            rows.add(new Row(i + 1, byHeader));
        }
        return rows;
    }

    private static List<String> backtickedIn(String cell) {
        List<String> values = new ArrayList<>();
        Matcher m = BACKTICKED.matcher(cell);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    @Test
    void everyMeterRowHasAnExampleQueryNamingItsPrometheusSeries() throws IOException {
        List<Row> rows = meterRows();
        // The main table, TLS, HTTP/2, access log and management rows.
        assertThat(rows).hasSizeGreaterThanOrEqualTo(33);
        for (Row row : rows) {
            List<String> query = backtickedIn(row.cell("example query"));
            assertThat(query).as("docs/metrics.md line %d: one backticked query", row.line()).hasSize(1);
            List<String> names = backtickedIn(row.cell("Prometheus")).stream().filter(n -> n.startsWith("saker_"))
                    .collect(Collectors.toList());
            assertThat(names).as("docs/metrics.md line %d: the Prometheus name(s)", row.line()).isNotEmpty();
            assertThat(query.get(0)).as("docs/metrics.md line %d: the query names the row's series", row.line())
                    .contains(names);
        }
    }

    @Test
    void everyMeterTheBinderRegistersHasARow() throws IOException {
        Set<String> documented = meterRows().stream().map(row -> backtickedIn(row.cell("meter")))
                .flatMap(List::stream).collect(Collectors.toSet());
        SakerServletWebServerFactory factory = new SakerServletWebServerFactory(0);
        factory.setAccessLog(new AccessLogSettings("common", AccessLog.Format.TEXT, null, "access_log.", 30, 64));
        Http2 http2 = new Http2();
        http2.setEnabled(true);
        factory.setHttp2(http2);
        SakerWebServer webServer = (SakerWebServer) factory.getWebServer();
        try {
            webServer.start();
            MeterRegistry registry = new SimpleMeterRegistry();
            SakerMetricsBinder.bind(webServer, Tags.of("server", "application"), registry);
            Set<String> registered = registry.getMeters().stream().map(meter -> meter.getId().getName())
                    .collect(Collectors.toSet());
            assertThat(registered).contains("saker.accesslog.dropped", "saker.sessions.rejected", "saker.http2.resets",
                    "saker.websocket.closes");
            assertThat(documented).containsAll(registered);
        } finally {
            webServer.destroy();
        }
    }

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
