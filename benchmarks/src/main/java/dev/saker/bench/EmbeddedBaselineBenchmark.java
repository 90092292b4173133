package dev.saker.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under {@link EngineBenchmark}: the same read, write, flush and drain on an
 * {@link EmbeddedChannel}, with a handler that only releases the request and copies a canned
 * response of the same size into a buffer from the channel's allocator. What this allocates is
 * the embedded channel's (and allocator's), not the engine's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=dev.saker.bench.EventLoopLikeExecutor",
        "-Dio.netty.leakDetection.level=disabled"})
public class EmbeddedBaselineBenchmark {

    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/plain\r\n"
            + "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
            + "Server: Saker\r\n"
            + "Content-Length: 13\r\n"
            + "\r\n"
            + "Hello, World!").getBytes(StandardCharsets.US_ASCII);

    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private ByteBufAllocator alloc;
    private byte[] request;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel(new CannedResponder());
        pipeline = channel.pipeline();
        alloc = channel.alloc();
        request = Requests.BROWSER_GET.getBytes(StandardCharsets.ISO_8859_1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int exchange() {
        pipeline.fireChannelRead(Requests.read(alloc, request));
        pipeline.fireChannelReadComplete();
        return Requests.drainOutbound(channel);
    }

    /** Answers every read with the canned bytes; flushes once per read batch, like the engine. */
    private static final class CannedResponder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            ByteBuf out = ctx.alloc().ioBuffer(256 + 13);
            out.writeBytes(RESPONSE);
            ctx.write(out, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
