package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.lifecycle.ServerConfig;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every chunked body of the conformance table (valid, and the B11-B14 broken ones) plus a few more
 * decodes to the same data, trailers, error and leftover bytes however it is split into reads:
 * whole, in two reads at every byte boundary, and in random pieces. The feeding copies what
 * {@link Http1Connection} does with a body: framing is consumed from the buffer's reader index,
 * the data the decoder allows is sliced off, and each read is appended to the same buffer (or the
 * unconsumed bytes move to a new one, as when the connection merges or compacts).
 */
class ChunkedDecoderSplitTest {

    private static final long[] SEEDS = {3, 11, 42, 977, 0xc0ffee};
    private static final byte[] PREFIX = "HEAD".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> corpus() {
        List<Arguments> all = new ArrayList<>();
        ServerConfig defaults = ServerConfig.builder().build();
        for (ConformanceTest.Case c : ConformanceTest.cases()) {
            ServerConfig config = c.config() == null ? defaults : c.config().apply(ServerConfig.builder()).build();
            byte[] body = chunkedBody(c.raw(), config);
            if (body != null) {
                all.add(Arguments.of(c.toString(), body, config, expected(c)));
            }
        }
        for (Map.Entry<String, String> e : ConformanceTest.specialRequests().entrySet()) {
            byte[] body = chunkedBody(e.getValue().getBytes(StandardCharsets.ISO_8859_1), defaults);
            if (body != null) {
                all.add(Arguments.of(e.getKey(), body, defaults, "INCOMPLETE"));
            }
        }
        ServerConfig bareLf = ServerConfig.builder().allowBareLf(true).build();
        extra(all, "several chunks, upper-case hex, leading zeros",
                "3\r\nabc\r\nA\r\n0123456789\r\n0005\r\nhello\r\n0\r\n\r\n", defaults, "BODY");
        extra(all, "empty body", "0\r\n\r\n", defaults, "BODY");
        extra(all, "a chunk larger than a read", "1000\r\n" + "d".repeat(4096) + "\r\n0\r\n\r\n", defaults, "BODY");
        extra(all, "extensions with whitespace and quotes", "5 ;a=1 ; b=\"x;y\"\r\nhello\r\n0;z\r\n\r\n", defaults, "BODY");
        extra(all, "trailers, then the next request", "2\r\nhi\r\n0\r\nA: 1\r\nB:2\r\n\r\nGET / HTTP/1.1\r\n", defaults, "BODY");
        extra(all, "largest 63-bit size, truncated", "7fffffffffffffff\r\nabc", defaults, "INCOMPLETE");
        extra(all, "no last chunk", "5\r\nhello\r\n", defaults, "INCOMPLETE");
        extra(all, "no empty line after the last chunk", "5\r\nhello\r\n0\r\n", defaults, "INCOMPLETE");
        extra(all, "CR without LF after data, at the end", "5\r\nhello\r", defaults, "INCOMPLETE");
        extra(all, "CR then a byte other than LF after data", "5\r\nhello\rX0\r\n\r\n", defaults, "ERROR 400");
        extra(all, "control byte in an extension", "5;a\u0001\r\nhello\r\n0\r\n\r\n", defaults, "ERROR 400");
        extra(all, "size line without digits", ";a\r\nhello\r\n0\r\n\r\n", defaults, "ERROR 400");
        extra(all, "size line too long without LF", "5" + ";".repeat(6000), defaults, "ERROR 400");
        extra(all, "bare LF after the size", "5\nhello\r\n0\r\n\r\n", defaults, "ERROR 400");
        extra(all, "bare LF after a trailer", "0\r\nA: 1\n\r\n", defaults, "ERROR 400");
        extra(all, "bare LF everywhere, allowed", "5\nhello\n0\nA: 1\n\n", bareLf, "BODY");
        extra(all, "trailer field without a colon", "0\r\nnot a field\r\n\r\n", defaults, "ERROR 400");
        extra(all, "trailer section larger than the limit, no LF", "0\r\nA: " + "a".repeat(9000), defaults, "ERROR 431");
        return all.stream();
    }

    /** The decoder's part of a table row: broken framing is its error, a served request its whole body. */
    private static String expected(ConformanceTest.Case c) {
        if (c.handlerRuns() && c.parseErrors() == 1 && c.status() != 413) {
            return "ERROR " + c.status() + " ";
        }
        return c.status() == 200 ? "BODY" : null;
    }

    private static void extra(List<Arguments> all, String name, String body, ServerConfig config, String expected) {
        all.add(Arguments.of(name, body.getBytes(StandardCharsets.ISO_8859_1), config, expected));
    }

    /** @return the bytes after the head when {@code raw} is a complete chunked request, else null */
    private static byte[] chunkedBody(byte[] raw, ServerConfig config) {
        HeadParser parser = new HeadParser(config.maxHeadSize(), config.maxHeaderCount(), config.allowBareLf());
        RequestHead head = new RequestHead();
        ByteBuf buf = HeadParserSplitTest.UNTRACKED.apply(raw.length);
        try {
            buf.writeBytes(raw);
            if (!parser.parse(buf, head) || !head.chunked) {
                return null;
            }
            return Arrays.copyOfRange(raw, head.length, raw.length);
        } catch (BadRequestException e) {
            return null;
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void anySplitDecodesLikeTheWhole(String name, byte[] input, ServerConfig config, String expected) {
        ChunkedDecoder decoder = new ChunkedDecoder(config.maxChunkExtensionBytes(), config.maxHeadSize(),
                config.maxHeaderCount(), config.allowBareLf());
        String whole = decode(decoder, input, new int[0], false, HeadParserSplitTest.TRACKED);
        if (expected != null) {
            assertThat(whole).as("whole decode of %s", name).startsWith(expected);
        }
        for (int cut = 1; cut < input.length; cut++) {
            int[] cuts = {cut};
            assertThat(decode(decoder, input, cuts, false, HeadParserSplitTest.UNTRACKED)).as("split at %d", cut)
                    .isEqualTo(whole);
            assertThat(decode(decoder, input, cuts, true, HeadParserSplitTest.UNTRACKED)).as("split at %d, moved", cut)
                    .isEqualTo(whole);
        }
        IntFunction<ByteBuf> alloc = input.length <= 2048 ? HeadParserSplitTest.TRACKED : HeadParserSplitTest.UNTRACKED;
        for (long seed : SEEDS) {
            Random random = new Random(seed);
            for (int run = 0; run < 4; run++) {
                int[] cuts = HeadParserSplitTest.randomCuts(random, input.length,
                        run % 2 == 0 ? 6 : Math.max(2, input.length / 3));
                assertThat(decode(decoder, input, cuts, run >= 2, alloc)).as("seed %d run %d", seed, run).isEqualTo(whole);
            }
        }
    }

    /**
     * Feeds {@code input} in pieces ending at {@code cuts} (then the rest) and drives the decoder
     * as the connection does; describes the data delivered, then the end (trailers and the bytes
     * left after the body), the error, or that more input was needed.
     */
    static String decode(ChunkedDecoder decoder, byte[] input, int[] cuts, boolean move, IntFunction<ByteBuf> alloc) {
        decoder.reset();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuf buf = alloc.apply(PREFIX.length + input.length);
        try {
            buf.writeBytes(PREFIX).skipBytes(PREFIX.length);
            int fed = 0;
            int piece = 0;
            while (true) {
                long n;
                try {
                    n = decoder.advance(buf);
                } catch (BadRequestException e) {
                    return "ERROR " + e.status() + " " + e.reason() + " after data=" + latin1(data.toByteArray());
                }
                if (n > 0) {
                    ByteBuf slice = buf.readRetainedSlice((int) n);
                    byte[] bytes = new byte[slice.readableBytes()];
                    slice.readBytes(bytes);
                    slice.release();
                    data.write(bytes, 0, bytes.length);
                    decoder.consumed(n);
                } else if (n < 0) {
                    byte[] rest = new byte[buf.readableBytes() + input.length - fed];
                    buf.getBytes(buf.readerIndex(), rest, 0, buf.readableBytes());
                    System.arraycopy(input, fed, rest, buf.readableBytes(), input.length - fed);
                    return "BODY data=" + latin1(data.toByteArray()) + " trailers=" + trailers(decoder.trailers())
                            + " rest=" + latin1(rest);
                } else if (fed == input.length) {
                    return "INCOMPLETE data=" + latin1(data.toByteArray());
                } else {
                    int end = piece < cuts.length ? cuts[piece] : input.length;
                    piece++;
                    buf.writeBytes(input, fed, end - fed);
                    fed = end;
                    if (move) {
                        buf = moved(buf, alloc, piece);
                    }
                }
            }
        } finally {
            buf.release();
        }
    }

    /** Moves the unconsumed bytes to a new buffer, as the connection's merge or compaction would. */
    private static ByteBuf moved(ByteBuf old, IntFunction<ByteBuf> alloc, int piece) {
        int offset = piece % 4;
        ByteBuf copy = alloc.apply(offset + old.readableBytes() + old.writableBytes());
        copy.writeZero(offset).skipBytes(offset);
        copy.writeBytes(old, old.readerIndex(), old.readableBytes());
        old.release();
        return copy;
    }

    private static String trailers(MutableHeaders trailers) {
        if (trailers == null) {
            return "[]";
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < trailers.size(); i++) {
            out.append(trailers.name(i)).append('=').append(trailers.value(i)).append(';');
        }
        return out.append(']').toString();
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
