package dev.saker.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the meter tables of docs/metrics.md: the backticked Prometheus names of chosen rows. For the
 * tests of modules one level below the project's root (the sample app, the WebFlux end-to-end tests)
 * that scrape a running application and check each documented name.
 */
public final class MetricsDoc {

    /** A cell boundary: a pipe not escaped with a backslash (PromQL in a cell may escape one). */
    private static final Pattern CELL = Pattern.compile("(?<!\\\\)\\|");
    private static final Pattern NAME = Pattern.compile("`([a-z][a-z0-9_]*)`");

    private MetricsDoc() {
    }

    /** @return the cells of a table row ({@code | a | b |}), trimmed; an escaped pipe stays inside its cell */
    public static List<String> cells(String line) {
        String[] split = CELL.split(line.trim(), -1);
        // "| a | b |" splits into "", "a", "b", "": the outer empties are not cells.
        return Arrays.stream(split, 1, split.length - 1).map(String::trim).collect(Collectors.toList());
    }

    /**
     * @param table which tables, by the header of their Prometheus column ("Prometheus name(s)" for the
     *              main table, "name in Prometheus" for the others)
     * @param meter which rows, by their first cell
     * @return the backticked names in the Prometheus column of those rows; a table without that column,
     *         or a row with a cell too many or too few, fails
     */
    public static List<String> prometheusNames(Predicate<String> table, Predicate<String> meter) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "metrics.md"));
        List<String> names = new ArrayList<>();
        List<String> header = null;
        int column = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("|")) {
                header = null;
                continue;
            }
            List<String> cells = cells(line);
            if (header == null) {
                header = cells;
                column = -1;
                for (int c = 0; c < cells.size(); c++) {
                    if (cells.get(c).contains("Prometheus")) {
                        column = c;
                    }
                }
                if (cells.get(0).equals("meter") && column < 0) {
                    throw new AssertionError("docs/metrics.md line " + (i + 1) + ": a meter table without a Prometheus column");
                }
                continue;
            }
            if (column < 0 || cells.get(0).startsWith("---")) {
                continue;
            }
            if (cells.size() != header.size()) {
                throw new AssertionError("docs/metrics.md line " + (i + 1) + ": " + cells.size() + " cells under "
                        + header.size() + " columns " + header);
            }
            if (table.test(header.get(column)) && meter.test(cells.get(0))) {
                Matcher m = NAME.matcher(cells.get(column));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
