package dev.saker.servlet.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.saker.server.testing.FuzzInput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzzes {@link RequestPath#parse}: a path is refused with {@link RequestPath.InvalidPathException}
 * (nothing else escapes) or comes out normalized (starts with '/', no empty, "." or ".." segment
 * before the last, normalizing again changes nothing), and percent-encoding one character that has
 * no meaning of its own in a path (and is not part of an escape) does not change the outcome.
 * Input: two control bytes, then a UTF-8 string (the raw path).
 * <ul>
 *   <li>byte 0: bit 0 allows an encoded slash</li>
 *   <li>byte 1: which character to percent-encode</li>
 * </ul>
 * Seeds: {@code RequestPathFuzzTestInputs/fuzzPath}.
 */
class RequestPathFuzzTest {

    /** Characters whose escape means something else than the character itself. */
    private static final String SIGNIFICANT = "/;%\0";

    @FuzzTest(maxDuration = "5s")
    void fuzzPath(byte[] data) {
        FuzzInput in = FuzzInput.of(data, 2);
        boolean allowEncodedSlash = in.flag(0, 0);
        String raw = new String(in.payload(), StandardCharsets.UTF_8);

        String outcome = outcome(raw, allowEncodedSlash);
        if (!outcome.startsWith("INVALID")) {
            checkNormalized(outcome);
        }
        if (!raw.isEmpty()) {
            int at = raw.offsetByCodePoints(0, in.control(1) % raw.codePointCount(0, raw.length()));
            int cp = raw.codePointAt(at);
            boolean inEscape = raw.lastIndexOf('%', at - 1) >= Math.max(0, at - 2);
            if (SIGNIFICANT.indexOf(cp) < 0 && !inEscape) {
                String escaped = raw.substring(0, at) + escape(cp) + raw.substring(at + Character.charCount(cp));
                assertThat(outcome(escaped, allowEncodedSlash)).as("%s with U+%04X escaped: %s", raw, cp, escaped)
                        .isEqualTo(outcome);
            }
        }
    }

    private static String outcome(String raw, boolean allowEncodedSlash) {
        try {
            return RequestPath.parse(raw, allowEncodedSlash, "jsessionid").decoded();
        } catch (RequestPath.InvalidPathException e) {
            return "INVALID";
        }
    }

    private static void checkNormalized(String decoded) {
        assertThat(decoded).startsWith("/");
        String[] segments = decoded.substring(1).split("/", -1);
        for (String segment : Arrays.asList(segments).subList(0, segments.length - 1)) {
            assertThat(segment).as("segment of %s", decoded).isNotEmpty().isNotEqualTo(".").isNotEqualTo("..");
        }
        assertThat(segments[segments.length - 1]).as("last segment of %s", decoded)
                .isNotEqualTo(".").isNotEqualTo("..");
        try {
            assertThat(RequestPath.normalize(decoded)).as("normalized again").isEqualTo(decoded);
        } catch (RequestPath.InvalidPathException e) {
            throw new AssertionError("a normalized path is refused: " + decoded, e);
        }
    }

    private static String escape(int codePoint) {
        StringBuilder out = new StringBuilder();
        for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(String.format("%02X", b & 0xFF));
        }
        return out.toString();
    }
}
