package dev.saker.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code bench.sh --smoke} on a small subset (six servers with WebFlux on Saker, two scenarios, the two TLS
 * servers on plaintext, Saker and Tomcat over h2c and h2 with h2load, Spring MVC on Saker and on Tomcat in the
 * WebSocket echo, a few hundred idle connections, one start-up run each)
 * so the harness cannot rot. The script installs wrk, h2load, strace, nginx and matplotlib when they are
 * missing and fails when it cannot: so does this test.
 */
class BenchSmokeIT {

    private static final Set<String> SERVERS = Set.of("saker-core", "netty", "mvc-saker", "mvc-tomcat", "webflux", "webflux-saker",
            "nginx");
    private static final Set<String> SCENARIOS = Set.of("plaintext", "upload");
    /** Over HTTPS, in the plaintext scenario only (TLS_SCENARIOS). */
    private static final Set<String> TLS_SERVERS = Set.of("mvc-saker-tls", "mvc-tomcat-tls");
    /** HTTP/2 servers and the one scenario each takes part in. */
    private static final Map<String, String> H2_SERVERS = Map.of("mvc-saker-h2", "h2c", "mvc-tomcat-h2", "h2c",
            "mvc-saker-h2-tls", "h2", "mvc-tomcat-h2-tls", "h2");
    /** The servers of the WebSocket echo (ws). */
    private static final Set<String> WS_SERVERS = Set.of("mvc-saker", "mvc-tomcat");

    @Test
    void smokeRunProducesResults() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("bench.dir", "."));
        Path out = dir.resolve("target/bench-smoke-it");
        Path log = dir.resolve("target/bench-smoke-it.log");
        ProcessBuilder builder = new ProcessBuilder("bash", dir.resolve("bench.sh").toString(), "--smoke")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("SERVERS", String.join(" ",
                List.of("saker-core", "netty", "mvc-saker", "mvc-tomcat", "webflux", "webflux-saker", "nginx", "mvc-saker-tls", "mvc-tomcat-tls",
                        "mvc-saker-h2", "mvc-tomcat-h2", "mvc-saker-h2-tls", "mvc-tomcat-h2-tls")));
        env.put("SCENARIOS", "plaintext upload h2c h2 ws");
        env.put("WS_SERVERS", String.join(" ", WS_SERVERS));
        env.put("WS_CONNS", "16");
        env.put("WS_DEPTH", "4");
        env.put("TLS_SCENARIOS", "plaintext");
        env.put("BATCHES", "20");
        env.put("IDLE_CONNS", "200");
        env.put("STARTUP_RUNS", "1");
        env.put("BASE_PORT", "28080");
        env.put("OUT", out.toString());
        Process process = builder.start();
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            stop(process);
            fail("bench.sh --smoke did not finish within 8 minutes; see " + log);
        }
        assertEquals(0, process.exitValue(), () -> "bench.sh --smoke failed:\n" + tail(log));

        List<String[]> rows = Files.readAllLines(out.resolve("raw.tsv")).stream().skip(1)
                .map(line -> line.split("\t")).collect(Collectors.toList());
        assertEquals(SERVERS.size() * SCENARIOS.size() + TLS_SERVERS.size() + H2_SERVERS.size() + WS_SERVERS.size(),
                rows.size(), "one round per server and scenario, TLS servers on plaintext only, HTTP/2 servers on "
                        + "theirs only, the WebSocket echo on its servers only");
        for (String[] row : rows) {
            String what = row[0] + " on " + row[2];
            assertTrue(SERVERS.contains(row[2]) && SCENARIOS.contains(row[0])
                    || TLS_SERVERS.contains(row[2]) && row[0].equals("plaintext")
                    || row[0].equals(H2_SERVERS.get(row[2]))
                    || row[0].equals("ws") && WS_SERVERS.contains(row[2]), what);
            assertTrue(Long.parseLong(row[9]) > 0, "no requests served: " + what);
            assertEquals("0", row[8], "errors: " + what);
            assertTrue(Double.parseDouble(row[6]) > 0, "no CPU time measured: " + what);
        }
        assertEquals(SERVERS.size(), Files.readAllLines(out.resolve("syscalls.tsv")).size());
        assertEquals(SERVERS.size(), Files.readAllLines(out.resolve("idle.tsv")).size());
        assertEquals(2, Files.readAllLines(out.resolve("startup.tsv")).size());
        List<String[]> inProcess = Files.readAllLines(out.resolve("inprocess.tsv")).stream()
                .map(line -> line.split("\t")).collect(Collectors.toList());
        assertEquals(List.of("/plaintext", "/json"), inProcess.stream().map(row -> row[0]).collect(Collectors.toList()));
        for (String[] row : inProcess) {
            assertTrue(Double.parseDouble(row[1]) > 0, "no in-process CPU time for " + row[0]);
        }
        String report = Files.readString(out.resolve("results.md"));
        assertTrue(report.contains("Spring MVC on Tomcat") && report.contains("nginx"), report);
        assertTrue(report.contains("WebFlux on Saker") && report.contains("Saker against Reactor Netty"), report);
        assertTrue(report.contains("the floor under any server") && report.contains("| plaintext |"), report);
        assertTrue(report.contains("Spring MVC on Saker, TLS") && report.contains("over TLS, keep-alive"), report);
        assertTrue(report.contains("Spring MVC on Tomcat, h2c") && report.contains("(ALPN h2), h2load"), report);
        assertTrue(report.contains("Spring MVC on Saker, h2c") && report.contains("Spring MVC on Saker, h2 (TLS)"), report);
        assertTrue(report.contains("WebSocket echo (Spring TextWebSocketHandler), 16 connections x 4")
                && report.contains("Saker / Tomcat CPU µs/message"), report);
        assertFalse(report.isBlank());
        for (String png : List.of("benchmarks-cpu.png", "benchmarks-rps.png")) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    /** SIGTERM first so the script's trap stops the servers it started; then force. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
