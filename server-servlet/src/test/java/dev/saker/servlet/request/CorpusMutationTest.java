package dev.saker.servlet.request;

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
    void path() {
        assertThat(CorpusMutator.run(RequestPathFuzzTest.class, "fuzzPath", new RequestPathFuzzTest()::fuzzPath,
                100_000, MAX_MILLIS)).isPositive();
    }

    @Test
    void parameters() {
        assertThat(CorpusMutator.run(RequestParametersFuzzTest.class, "fuzzParameters",
                new RequestParametersFuzzTest()::fuzzParameters, 50_000, MAX_MILLIS)).isPositive();
    }
}
