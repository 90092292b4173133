package dev.saker.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the hello-world example as its own JVM and stops it with SIGTERM, as a container runtime would. */
class ShutdownHookTest {

    private static final Pattern PORT = Pattern.compile("http://localhost:(\\d+)/");

    @Test
    void sigtermDrainsTheStandaloneServerAndTheJvmExits(@TempDir Path dir) throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.saker.server.example.HelloWorld", "--port", "0"));
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try {
            int port = readPort(process);
            try (RawClient client = new RawClient(port)) {
                client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                RawClient.Response response = client.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("Hello, World!");

                process.destroy(); // SIGTERM
                assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("JVM exited after SIGTERM").isTrue();
                assertThat(client.closedByServer(2_000)).as("idle keep-alive connection closed").isTrue();
            }
            String log = Files.readString(stderr);
            assertThat(log).contains("graceful shutdown complete");
        } finally {
            process.destroyForcibly();
        }
    }

    private static int readPort(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = PORT.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("the server printed no port");
    }
}
