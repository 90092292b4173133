package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** docs/http2-conformance.md lists every conformance test method, and no other. */
class Http2ConformanceDocTest {

    private static final Class<?>[] SUITE = {Http2FramingConformanceTest.class, Http2FrameDefinitionsConformanceTest.class,
        Http2StreamConformanceTest.class, Http2MessageConformanceTest.class};

    @Test
    void docTablesMatchTheTestMethods() throws Exception {
        Set<String> methods = new TreeSet<>();
        for (Class<?> type : SUITE) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.isAnnotationPresent(Test.class) || method.isAnnotationPresent(ParameterizedTest.class)) {
                    methods.add(method.getName());
                }
            }
        }
        Set<String> listed = new TreeSet<>();
        // The first column of each table row: | `name` |
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9_A-Z]+)` \\|").matcher(
                Files.readString(Path.of("../docs/http2-conformance.md")));
        while (row.find()) {
            listed.add(row.group(1));
        }
        assertThat(listed).as("test methods listed in docs/http2-conformance.md").isEqualTo(methods);
    }
}
