package dev.saker.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
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
 * The peer of {@link EngineBenchmark}: the same request and the same response bytes through
 * Netty's {@code HttpServerCodec} and the raw Netty load peer's handler, on the same kind of
 * {@link EmbeddedChannel}. Compares the user-space work per request without any socket noise.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=dev.saker.bench.EventLoopLikeExecutor",
        "-Dio.netty.leakDetection.level=disabled"})
public class RawNettyBenchmark {

    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private ByteBufAllocator alloc;
    private byte[] request;

    @Setup(Level.Trial)
    public void setUp() {
        channel = new EmbeddedChannel(new HttpServerCodec(), new RawNettyHandler());
        pipeline = channel.pipeline();
        alloc = channel.alloc();
        request = Requests.BROWSER_GET.getBytes(StandardCharsets.ISO_8859_1);
        pipeline.fireChannelRead(Requests.read(alloc, request));
        pipeline.fireChannelReadComplete();
        String response = Requests.outboundText(channel);
        if (!response.startsWith("HTTP/1.1 200 OK\r\n") || !response.endsWith("\r\n\r\nHello, World!")) {
            throw new IllegalStateException("unexpected response from the raw Netty handler: " + response);
        }
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
}
