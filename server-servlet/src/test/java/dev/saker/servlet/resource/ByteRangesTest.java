package dev.saker.servlet.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.servlet.resource.ByteRanges.Range;
import org.junit.jupiter.api.Test;

/** Range field parsing against a length (RFC 9110 14.1.2). */
class ByteRangesTest {

    @Test
    void satisfiableForms() {
        assertThat(ByteRanges.parse("bytes=0-9", 100)).containsExactly(new Range(0, 9));
        assertThat(ByteRanges.parse("bytes=90-", 100)).containsExactly(new Range(90, 99));
        assertThat(ByteRanges.parse("bytes=-5", 100)).containsExactly(new Range(95, 99));
        assertThat(ByteRanges.parse("bytes=-500", 100)).as("suffix longer than the content").containsExactly(new Range(0, 99));
        assertThat(ByteRanges.parse("bytes=95-500", 100)).as("end clipped").containsExactly(new Range(95, 99));
        assertThat(ByteRanges.parse("BYTES= 0-0 , 5-6", 100)).containsExactly(new Range(0, 0), new Range(5, 6));
        assertThat(ByteRanges.parse("bytes=200-300, 0-1", 100)).as("unsatisfiable parts are dropped")
                .containsExactly(new Range(0, 1));
    }

    @Test
    void unsatisfiable() {
        assertThat(ByteRanges.parse("bytes=100-", 100)).isSameAs(ByteRanges.UNSATISFIABLE);
        assertThat(ByteRanges.parse("bytes=-0", 100)).isSameAs(ByteRanges.UNSATISFIABLE);
        assertThat(ByteRanges.parse("bytes=0-", 0)).as("empty content").isSameAs(ByteRanges.UNSATISFIABLE);
    }

    @Test
    void invalidFieldsAreIgnored() {
        assertThat(ByteRanges.parse("items=0-1", 100)).isNull();
        assertThat(ByteRanges.parse("bytes=5-2", 100)).isNull();
        assertThat(ByteRanges.parse("bytes=a-b", 100)).isNull();
        assertThat(ByteRanges.parse("bytes=1", 100)).isNull();
        assertThat(ByteRanges.parse("bytes=", 100)).isNull();
        assertThat(ByteRanges.parse("bytes=+1-2", 100)).isNull();
        assertThat(ByteRanges.parse("bytes=99999999999999999999-", 100)).isNull();
    }
}
