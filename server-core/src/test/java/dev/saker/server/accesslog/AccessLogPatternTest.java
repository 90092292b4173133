package dev.saker.server.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class AccessLogPatternTest {

    private static final long START = ZonedDateTime.of(2026, 3, 9, 13, 55, 36, 0, ZoneOffset.UTC).toInstant().toEpochMilli();

    private static AccessRecord record(AccessLogPattern pattern, String[] request, String[] response) {
        return new AccessRecord(new InetSocketAddress("127.0.0.1", 40000), "GET", "/a/b?x=1&y=2", "HTTP/1.1", 200, 1234,
                START, 2_500_000_000L, null, "alice", 7, "saker-io-1", request, response);
    }

    @Test
    void commonIsTomcatsCommonLogFormat() {
        AccessLogPattern pattern = AccessLogPattern.parse("common", ZoneOffset.UTC);
        assertThat(pattern.requestHeaderNames()).isEmpty();
        assertThat(pattern.format(record(pattern, new String[0], new String[0])))
                .isEqualTo("127.0.0.1 - alice [09/Mar/2026:13:55:36 +0000] \"GET /a/b?x=1&y=2 HTTP/1.1\" 200 1234");
    }

    @Test
    void combinedAddsRefererAndUserAgent() {
        AccessLogPattern pattern = AccessLogPattern.parse("combined", ZoneOffset.ofHours(2));
        assertThat(pattern.requestHeaderNames()).containsExactly("Referer", "User-Agent");
        assertThat(pattern.format(record(pattern, new String[] {"http://r/", null}, new String[0])))
                .isEqualTo("127.0.0.1 - alice [09/Mar/2026:15:55:36 +0200] \"GET /a/b?x=1&y=2 HTTP/1.1\" 200 1234"
                        + " \"http://r/\" \"-\"");
    }

    @Test
    void everyLetter() {
        AccessLogPattern pattern = AccessLogPattern.parse(
                "%a|%l|%B|%D|%T|%I|%m|%U|%q|%H|%s|%{X-In}i|%{x-out}o|%{sid}c|%{other}c|%L|%R|100%%", ZoneOffset.UTC);
        assertThat(pattern.requestHeaderNames()).containsExactly("X-In", "Cookie", "X-Request-Id");
        assertThat(pattern.responseHeaderNames()).containsExactly("x-out");
        String line = pattern.format(record(pattern, new String[] {"in", "a=1; sid=s3cr3t", null}, new String[] {"out"}));
        assertThat(line).isEqualTo("127.0.0.1|-|1234|2500000|2|saker-io-1|GET|/a/b|?x=1&y=2|HTTP/1.1|200|in|out|s3cr3t|-|7|-|100%");
    }

    @Test
    void requestIdPrefersTheClientsHeader() {
        AccessLogPattern pattern = AccessLogPattern.parse("%L", ZoneOffset.UTC);
        assertThat(pattern.format(record(pattern, new String[] {"abc-123"}, new String[0]))).isEqualTo("abc-123");
    }

    @Test
    void recordOfAnUnparsableRequest() {
        AccessLogPattern pattern = AccessLogPattern.parse("%r %m %U %q %H %s %b %B %R", ZoneOffset.UTC);
        AccessRecord rejected = new AccessRecord(new InetSocketAddress("::1", 1), null, null, null, 400, 0, START, 1, "bare_lf",
                null, 1, "t", new String[0], new String[0]);
        // %q is empty without a query, as Tomcat's.
        assertThat(pattern.format(rejected)).isEqualTo("- - -  - 400 - 0 bare_lf");
    }

    @Test
    void unknownLettersAreRefusedWhenParsed() {
        assertThatThrownBy(() -> AccessLogPattern.parse("%h %Z", ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("%Z");
        assertThatThrownBy(() -> AccessLogPattern.parse("%{a}x", ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("%{a}x");
        assertThatThrownBy(() -> AccessLogPattern.parse("%{a", ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessLogPattern.parse("50%", ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonLinesEscapeAndNameEveryField() {
        AccessLogPattern pattern = AccessLogPattern.parse("%{User-Agent}i %{Content-Type}o", ZoneOffset.UTC);
        AccessRecord r = new AccessRecord(new InetSocketAddress("127.0.0.1", 1), "GET", "/q?\"x\"\\", "HTTP/1.1", 404, 0, START,
                3_000, null, null, 9, "loop", new String[] {"a\tb\u0001\n"}, new String[] {null});
        assertThat(new JsonLines(pattern).format(r)).isEqualTo("{\"time\":\"2026-03-09T13:55:36Z\",\"remote\":\"127.0.0.1\","
                + "\"method\":\"GET\",\"target\":\"/q?\\\"x\\\"\\\\\",\"protocol\":\"HTTP/1.1\",\"status\":404,\"bytes\":0,"
                + "\"duration_us\":3,\"reason\":null,\"user\":null,\"id\":9,\"thread\":\"loop\","
                + "\"request_headers\":{\"User-Agent\":\"a\\tb\\u0001\\n\"},\"response_headers\":{\"Content-Type\":null}}");
    }
}
