package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.saker.server.testing.FuzzInput;

/**
 * Fuzzes the chunked body decoder: any body decodes, needs more bytes, or is rejected with a
 * {@link dev.saker.server.http.BadRequestException} (anything else escapes and fails the test), and
 * the data, trailers, error and leftover bytes are the same whole, split once, and fed in pieces,
 * with or without the buffer moving between reads. Input: three control bytes (see
 * {@link FuzzInput}), then the body bytes after the head.
 * <ul>
 *   <li>byte 0: bit 0 allows bare LF; bit 1 moves the unconsumed bytes between reads; bits 2-3 pick
 *       the extension budget (4096, 0, 8, 64); bits 4-5 the trailer section limit (8192, 64, 256,
 *       1024); bits 6-7 the trailer count limit (100, 1, 4, 16)</li>
 *   <li>byte 1: where the single split and the first piece end</li>
 *   <li>byte 2: the size of the following pieces (1-64)</li>
 * </ul>
 * Seeds: {@code ChunkedDecoderFuzzTestInputs/fuzzChunked}, the chunked bodies of the conformance rows.
 */
class ChunkedDecoderFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void fuzzChunked(byte[] data) {
        FuzzInput in = FuzzInput.of(data, 3);
        ChunkedDecoder decoder = new ChunkedDecoder(in.pick(0, 2, 4096, 0, 8, 64), in.pick(0, 4, 8192, 64, 256, 1024),
                in.pick(0, 6, 100, 1, 4, 16), in.flag(0, 0));
        boolean move = in.flag(0, 1);
        byte[] input = in.payload();

        String whole = ChunkedDecoderSplitTest.decode(decoder, input, new int[0], false,
                HeadParserFuzzTest.wholeAllocator(input));
        assertThat(ChunkedDecoderSplitTest.decode(decoder, input, in.singleCut(1), move, HeadParserSplitTest.UNTRACKED))
                .as("split once").isEqualTo(whole);
        assertThat(ChunkedDecoderSplitTest.decode(decoder, input, in.cuts(1, 2), move, HeadParserSplitTest.UNTRACKED))
                .as("fed in pieces").isEqualTo(whole);
    }
}
