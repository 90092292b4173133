package dev.saker.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code saker.parse.errors} has a series for every reason key the engine and the container count. */
class ParseReasonsTest {

    /** Where the sources name a reason key: the factories of bad requests and direct counts. */
    private static final Pattern KEY = Pattern.compile(
            "(?:\\bbad|\\bmalformed|BadRequestException\\(\\s*\\d+\\s*,|parseError)\\(?\\s*\"([a-z0-9_]+)\"");

    @Test
    void everyReasonKeyInTheSourcesHasItsSeries() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (String module : new String[] {"server-core", "server-servlet"}) {
            try (Stream<Path> files = Files.walk(Path.of("..", module, "src", "main", "java"))) {
                for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    Matcher m = KEY.matcher(Files.readString(file));
                    while (m.find()) {
                        keys.add(m.group(1));
                    }
                }
            }
        }
        assertThat(keys).as("reason keys found in the sources").contains("host", "chunk_size", "h2_no_path", "multipart");
        assertThat(ReasonMeters.PARSE_REASONS).containsAll(keys).doesNotHaveDuplicates();
    }
}
