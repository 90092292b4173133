package dev.saker.servlet.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.CorpusMutator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The build's short fuzzing run of the multipart fuzz test: a fixed number of mutants of its seed
 * corpus, see {@link CorpusMutator}. Coverage-guided fuzzing is {@code JAZZER_FUZZ=1}, see
 * docs/reliability.md.
 */
class CorpusMutationTest {

    @Test
    void multipart() {
        assertThat(CorpusMutator.run(MultipartFuzzTest.class, "fuzzMultipart", new MultipartFuzzTest()::fuzzMultipart,
                3_000, 4_000)).isPositive();
    }

    @AfterAll
    static void deleteLocation() throws Exception {
        MultipartFuzzTest.deleteLocation();
    }
}
