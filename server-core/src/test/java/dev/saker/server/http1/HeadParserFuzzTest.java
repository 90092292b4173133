package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.saker.server.testing.FuzzInput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Fuzzes the request-head parser: any input either parses, needs more bytes, or is rejected with a
 * {@link dev.saker.server.http.BadRequestException} (anything else escapes and fails the test), and
 * the outcome is the same whole, split once, and fed in pieces, with or without the buffer moving
 * between reads. Input: three control bytes (see {@link FuzzInput}), then the request bytes.
 * <ul>
 *   <li>byte 0: bit 0 allows bare LF; bit 1 moves the unconsumed bytes between reads; bits 2-3 pick
 *       the head limit (8192, 64, 256, 1024); bits 4-5 the field limit (100, 1, 4, 16)</li>
 *   <li>byte 1: where the single split and the first piece end</li>
 *   <li>byte 2: the size of the following pieces (1-64)</li>
 * </ul>
 * Seeds: {@code HeadParserFuzzTestInputs/fuzzHead}, one per conformance row.
 */
class HeadParserFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void fuzzHead(byte[] data) {
        FuzzInput in = FuzzInput.of(data, 3);
        int maxHeadSize = in.pick(0, 2, 8192, 64, 256, 1024);
        int maxFields = in.pick(0, 4, 100, 1, 4, 16);
        boolean move = in.flag(0, 1);
        HeadParser parser = new HeadParser(maxHeadSize, maxFields, in.flag(0, 0));
        RequestHead head = new RequestHead();
        byte[] input = in.payload();

        String whole = HeadParserSplitTest.parse(parser, head, input, new int[0], false, wholeAllocator(input));
        if (whole.equals("INCOMPLETE")) {
            assertThat(input.length).as("bytes buffered without a decision").isLessThan(maxHeadSize);
        } else if (whole.startsWith("HEAD")) {
            assertThat(head.length).as("head length").isBetween(1, Math.min(input.length, maxHeadSize));
        }
        assertThat(HeadParserSplitTest.parse(parser, head, input, in.singleCut(1), move, HeadParserSplitTest.UNTRACKED))
                .as("split once").isEqualTo(whole);
        assertThat(HeadParserSplitTest.parse(parser, head, input, in.cuts(1, 2), move, HeadParserSplitTest.UNTRACKED))
                .as("fed in pieces").isEqualTo(whole);
    }

    /**
     * The buffers for the whole parse: leak-tracked pooled direct buffers, as a socket read delivers,
     * for one input in four of at most 2 KiB (picked by content, so an input always gets the same).
     * Paranoid tracking records every access; tracking them all would slow fuzzing twentyfold.
     */
    static IntFunction<ByteBuf> wholeAllocator(byte[] input) {
        boolean tracked = input.length <= 2048 && (Arrays.hashCode(input) & 3) == 0;
        return tracked ? HeadParserSplitTest.TRACKED : HeadParserSplitTest.UNTRACKED;
    }
}
