package dev.saker.servlet.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.saker.server.testing.FuzzInput;
import dev.saker.server.testing.PercentDecoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes {@link RequestParameters#parse} and its lenient {@code decode}: the query (UTF-8) and an
 * urlencoded form body (in the request's charset) give the parameters the reference reading gives
 * (bytes percent-decoded, then decoded in the charset, a bad escape kept as it is), and the only
 * exception is the {@link FormException} (413) of a form larger than the limit. Input: one control byte
 * (bits 0-1: the charset, UTF-8, ISO-8859-1, US-ASCII, windows-1252; bits 2-3: the form limit,
 * none, 0, 16, 1024 bytes), then the raw query, and after the first LF the form body (no LF: no
 * form). Seeds: {@code RequestParametersFuzzTestInputs/fuzzParameters}.
 */
class RequestParametersFuzzTest {

    private static final Charset[] CHARSETS = {StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1,
        StandardCharsets.US_ASCII, Charset.forName("windows-1252")};

    @FuzzTest(maxDuration = "5s")
    void fuzzParameters(byte[] data) {
        FuzzInput in = FuzzInput.of(data, 1);
        Charset charset = CHARSETS[in.control(0) & 3];
        long maxFormBytes = in.pick(0, 2, -1, 0, 16, 1024);
        byte[] payload = in.payload();
        int lf = indexOf(payload, (byte) '\n');
        byte[] query = lf < 0 ? payload : Arrays.copyOf(payload, lf);
        byte[] form = lf < 0 ? null : Arrays.copyOfRange(payload, lf + 1, payload.length);

        RequestParameters parameters = new RequestParameters();
        try {
            parameters.parse(new String(query, StandardCharsets.ISO_8859_1),
                    form == null ? null : new ByteArrayInputStream(form), charset, maxFormBytes);
        } catch (IOException e) {
            throw new AssertionError("reading a byte array failed", e);
        } catch (FormException e) {
            assertThat(e.status()).isEqualTo(413);
            assertThat(form).as("form refused: %s", e.getMessage()).isNotNull();
            assertThat(maxFormBytes).isNotNegative().isLessThan(form.length);
            return;
        }
        if (form != null && maxFormBytes >= 0) {
            assertThat(form.length).as("form length within the limit").isLessThanOrEqualTo((int) maxFormBytes);
        }
        Map<String, List<String>> expected = new LinkedHashMap<>();
        split(query, StandardCharsets.UTF_8, expected);
        if (form != null) {
            split(form, charset, expected);
        }
        Map<String, List<String>> actual = new LinkedHashMap<>();
        parameters.map().forEach((name, values) -> actual.put(name, Arrays.asList(values)));
        assertThat(actual).isEqualTo(expected);
    }

    /** The reference reading of {@code a=1&b=2}: split the bytes, then decode each name and value. */
    private static void split(byte[] raw, Charset charset, Map<String, List<String>> into) {
        int start = 0;
        while (start <= raw.length) {
            int amp = indexOf(raw, (byte) '&', start);
            int end = amp < 0 ? raw.length : amp;
            if (end > start) {
                int eq = indexOf(raw, (byte) '=', start);
                boolean hasValue = eq >= 0 && eq < end;
                String name = PercentDecoding.lenient(Arrays.copyOfRange(raw, start, hasValue ? eq : end), charset);
                String value = hasValue ? PercentDecoding.lenient(Arrays.copyOfRange(raw, eq + 1, end), charset) : "";
                into.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            start = end + 1;
        }
    }

    private static int indexOf(byte[] bytes, byte b) {
        return indexOf(bytes, b, 0);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
