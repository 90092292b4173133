package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.saker.server.testing.FuzzInput;
import dev.saker.server.testing.PercentDecoding;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Fuzzes {@link QueryDecoder}: {@code decode} returns what the reference decoder returns or, like
 * it, throws {@link IllegalArgumentException} (nothing else escapes), undoes {@link URLEncoder}, and
 * {@code parse} splits as a plain reading of {@code a=1&b=2} would. Input: one control byte (bit 0:
 * {@code +} is a space), then a UTF-8 string. Seeds: {@code QueryDecoderFuzzTestInputs/fuzzQuery}.
 */
class QueryDecoderFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void fuzzQuery(byte[] data) {
        FuzzInput in = FuzzInput.of(data, 1);
        boolean plusIsSpace = in.flag(0, 0);
        String s = new String(in.payload(), StandardCharsets.UTF_8);

        assertThat(outcome(() -> QueryDecoder.decode(s, plusIsSpace)))
                .as("decode(%s)", s).isEqualTo(outcome(() -> PercentDecoding.strict(s, plusIsSpace)));
        String encoded = URLEncoder.encode(s, StandardCharsets.UTF_8);
        assertThat(QueryDecoder.decode(plusIsSpace ? encoded : encoded.replace("+", "%20"), plusIsSpace))
                .as("round trip").isEqualTo(s);

        assertThat(QueryDecoder.parse(s, false)).as("parse(%s)", s).isEqualTo(expectedParse(s, false));
        assertThat(outcome(() -> QueryDecoder.parse(s, true))).as("parse(%s) decoded", s)
                .isEqualTo(outcome(() -> expectedParse(s, true)));
    }

    private static Map<String, List<String>> expectedParse(String query, boolean decode) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String item : query.split("&", -1)) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            String name = eq < 0 ? item : item.substring(0, eq);
            String value = eq < 0 ? "" : item.substring(eq + 1);
            if (decode) {
                name = PercentDecoding.strict(name, true);
                value = PercentDecoding.strict(value, true);
            }
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** The result, or IllegalArgumentException's class when that was thrown; any other exception escapes. */
    private static Object outcome(Supplier<Object> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            return IllegalArgumentException.class;
        }
    }
}
