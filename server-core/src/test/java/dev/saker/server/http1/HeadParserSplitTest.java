package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.lifecycle.ServerConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request of the conformance table, valid or not, parses to the same result however it is
 * split into reads: whole, in two reads at every byte boundary, and in random pieces. The feeding
 * copies what {@link Http1Connection} does: the head starts at the buffer's reader index and stays
 * unconsumed until complete, and each read is appended to the same buffer (or, as when the
 * connection merges or compacts its buffer, the unconsumed bytes move to a new place).
 */
class HeadParserSplitTest {

    private static final long[] SEEDS = {1, 7, 42, 2024, 0x5eed};
    /** Bytes already consumed in front of the head (a previous pipelined request), so offsets are relative. */
    private static final byte[] PREFIX = "XYZ".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> corpus() {
        List<Arguments> all = new ArrayList<>();
        for (ConformanceTest.Case c : ConformanceTest.cases()) {
            ServerConfig config = c.config() == null ? ServerConfig.builder().build()
                    : c.config().apply(ServerConfig.builder()).build();
            all.add(Arguments.of(c.toString(), c.raw(), config, c));
        }
        for (Map.Entry<String, String> e : ConformanceTest.specialRequests().entrySet()) {
            all.add(Arguments.of(e.getKey(), e.getValue().getBytes(StandardCharsets.ISO_8859_1),
                    ServerConfig.builder().build(), null));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void anySplitParsesLikeTheWhole(String name, byte[] input, ServerConfig config, ConformanceTest.Case c) {
        HeadParser parser = new HeadParser(config.maxHeadSize(), config.maxHeaderCount(), config.allowBareLf());
        RequestHead head = new RequestHead();
        String whole = parse(parser, head, input, new int[0], false, TRACKED);
        if (c != null && !c.handlerRuns() && c.status() != 413) {
            // Rows the engine rejects before any handler are the parser's to reject.
            assertThat(whole).as("whole parse of %s", name).startsWith("ERROR " + c.status() + " ");
        }
        // A first read of maxHeadSize bytes or more decides alone (the parser never looks past the
        // limit), so later cut points are the whole input again.
        int lastCut = Math.min(input.length - 1, config.maxHeadSize());
        for (int cut = 1; cut <= lastCut; cut++) {
            int[] cuts = {cut};
            assertThat(parse(parser, head, input, cuts, false, UNTRACKED)).as("split at %d", cut).isEqualTo(whole);
            assertThat(parse(parser, head, input, cuts, true, UNTRACKED)).as("split at %d, moved", cut).isEqualTo(whole);
        }
        for (long seed : SEEDS) {
            Random random = new Random(seed);
            for (int run = 0; run < 4; run++) {
                int[] cuts = randomCuts(random, input.length, run % 2 == 0 ? 8 : Math.max(2, input.length / 3));
                boolean move = run >= 2;
                assertThat(parse(parser, head, input, cuts, move, input.length <= 2048 ? TRACKED : UNTRACKED))
                        .as("seed %d run %d", seed, run).isEqualTo(whole);
            }
        }
    }

    /**
     * Feeds {@code input} in pieces ending at {@code cuts} (then the rest), calling the parser after
     * each piece as the connection does, and describes the outcome.
     *
     * @param move whether the unconsumed bytes move to a new buffer between reads
     */
    static String parse(HeadParser parser, RequestHead head, byte[] input, int[] cuts, boolean move, IntFunction<ByteBuf> alloc) {
        parser.reset();
        head.reset();
        ByteBuf buf = alloc.apply(PREFIX.length + input.length);
        try {
            buf.writeBytes(PREFIX).skipBytes(PREFIX.length);
            int fed = 0;
            for (int piece = 0; piece <= cuts.length; piece++) {
                int end = piece < cuts.length ? cuts[piece] : input.length;
                buf.writeBytes(input, fed, end - fed);
                fed = end;
                if (move && piece > 0) {
                    buf = moved(buf, alloc, piece);
                }
                try {
                    if (parser.parse(buf, head)) {
                        return describe(head);
                    }
                } catch (BadRequestException e) {
                    return "ERROR " + e.status() + " " + e.reason();
                }
            }
            return "INCOMPLETE";
        } finally {
            buf.release();
        }
    }

    /** Copies the unconsumed bytes to a new buffer at a different offset, as a merge or compaction would. */
    private static ByteBuf moved(ByteBuf old, IntFunction<ByteBuf> alloc, int piece) {
        int offset = piece % 3;
        ByteBuf copy = alloc.apply(offset + old.readableBytes() + old.writableBytes());
        copy.writeZero(offset).skipBytes(offset);
        copy.writeBytes(old, old.readerIndex(), old.readableBytes());
        old.release();
        return copy;
    }

    /** Everything the connection uses from a parsed head, as text. */
    static String describe(RequestHead head) {
        StringBuilder out = new StringBuilder("HEAD length=").append(head.length)
                .append(" method=").append(head.method)
                .append(" target=").append(head.target())
                .append(" version=").append(head.version)
                .append(" path=").append(head.string(head.pathStart, head.pathEnd))
                .append(" query=").append(head.queryStart < 0 ? null : head.string(head.queryStart, head.targetEnd))
                .append(" authority=")
                .append(head.authorityStart < 0 ? null : head.string(head.authorityStart, head.authorityEnd))
                .append(" host=").append(head.host())
                .append(" contentLength=").append(head.contentLength)
                .append(" chunked=").append(head.chunked)
                .append(" close=").append(head.connectionClose)
                .append(" keepAlive=").append(head.connectionKeepAlive)
                .append(" expectContinue=").append(head.expectContinue)
                .append(" fields=").append(head.fieldCount);
        for (int i = 0; i < head.size(); i++) {
            out.append('\n').append(head.name(i)).append(": ").append(head.value(i));
        }
        return out.toString();
    }

    /** Sorted distinct cut points in (0, length), pieces of 1..maxPiece bytes. */
    static int[] randomCuts(Random random, int length, int maxPiece) {
        List<Integer> cuts = new ArrayList<>();
        int at = 0;
        while (true) {
            at += 1 + random.nextInt(maxPiece);
            if (at >= length) {
                break;
            }
            cuts.add(at);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Pooled direct buffers, leak-tracked like the ones a socket read delivers. */
    static final IntFunction<ByteBuf> TRACKED = PooledByteBufAllocator.DEFAULT::directBuffer;

    /**
     * Plain heap buffers without leak tracking: the every-boundary loops parse thousands of times,
     * and paranoid tracking records a stack trace per access. They are still released.
     */
    static final IntFunction<ByteBuf> UNTRACKED = capacity -> Unpooled.wrappedBuffer(new byte[capacity]).clear();
}
