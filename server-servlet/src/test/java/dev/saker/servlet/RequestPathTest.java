package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.servlet.request.RequestPath;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The "Path handling" rows P01-P07 of the conformance table, plus the neighbouring cases. */
class RequestPathTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "P01|/a/../b|/b",
        "P01|/a/./b/.|/a/b/",
        "P01|/a/b/..|/a/",
        "P05|/a;jsessionid=XYZ/b;v=1|/a/b",
        "P06|//a///b|/a/b",
        "P06|/a//|/a/",
        "P07|/caf%C3%A9|/café",
        "--|/|/",
        "--|/plain/path.html|/plain/path.html",
    })
    void normalizes(String row, String raw, String expected) throws Exception {
        assertThat(RequestPath.parse(raw, false, "jsessionid").decoded()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1} is refused")
    @CsvSource(delimiter = '|', value = {
        "P02|/../etc/passwd",
        "P02|/a/../../b",
        "P03|/a%2Fb",
        "P03|/a%2fb",
        "P04|/a%00b",
        "P04|/a%zz",
        "P04|/a%4",
        "--|/a%5Cb",
        "--|/a\\b",
        "--|/%C3%28",
    })
    void refuses(String row, String raw) {
        assertThatThrownBy(() -> RequestPath.parse(raw, false, "jsessionid"))
                .isInstanceOf(RequestPath.InvalidPathException.class);
    }

    @ParameterizedTest(name = "encoded slash allowed: {0}")
    @CsvSource(delimiter = '|', value = {"/a%2Fb|/a/b"})
    void encodedSlashCanBeAllowed(String raw, String expected) throws Exception {
        assertThat(RequestPath.parse(raw, true, "jsessionid").decoded()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "session id from {0}")
    @CsvSource(delimiter = '|', value = {"/a;jsessionid=abc|abc", "/a;JSESSIONID=abc/b|abc", "/a;other=1|"})
    void extractsTheSessionPathParameter(String raw, String id) throws Exception {
        assertThat(RequestPath.parse(raw, false, "jsessionid").sessionId()).isEqualTo(id);
    }
}
