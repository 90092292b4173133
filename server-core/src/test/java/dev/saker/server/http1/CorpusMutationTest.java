package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.CorpusMutator;
import org.junit.jupiter.api.Test;

/**
 * The build's short fuzzing run of this package's fuzz tests: a fixed number of mutants of each
 * seed corpus, see {@link CorpusMutator}. Coverage-guided fuzzing is {@code JAZZER_FUZZ=1}, see
 * docs/reliability.md.
 */
class CorpusMutationTest {

    private static final long MAX_MILLIS = 4_000;

    @Test
    void head() {
        assertThat(CorpusMutator.run(HeadParserFuzzTest.class, "fuzzHead", new HeadParserFuzzTest()::fuzzHead,
                10_000, MAX_MILLIS)).isPositive();
    }

    @Test
    void chunked() {
        assertThat(CorpusMutator.run(ChunkedDecoderFuzzTest.class, "fuzzChunked",
                new ChunkedDecoderFuzzTest()::fuzzChunked, 10_000, MAX_MILLIS)).isPositive();
    }

    @Test
    void query() {
        assertThat(CorpusMutator.run(QueryDecoderFuzzTest.class, "fuzzQuery", new QueryDecoderFuzzTest()::fuzzQuery,
                30_000, MAX_MILLIS)).isPositive();
    }
}
