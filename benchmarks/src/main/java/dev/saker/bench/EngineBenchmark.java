package dev.saker.bench;

import dev.saker.server.http.HttpHandler;
import io.netty.buffer.ByteBufAllocator;
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
 * One keep-alive request through the real engine path: a typical browser GET goes into a reused
 * connection ({@code Http1Connection} on an {@link EmbeddedChannel}) as one read, the handler sends
 * {@code Hello, World!}, and the encoded response is read back and released. With {@code -prof gc}
 * this shows the engine's allocation per request; {@link EmbeddedBaselineBenchmark} shows what the
 * embedded channel itself costs on the same read, write and flush pattern.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=dev.saker.bench.EventLoopLikeExecutor",
        "-Dio.netty.leakDetection.level=disabled"})
public class EngineBenchmark {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private ByteBufAllocator alloc;
    private byte[] request;

    @Setup(Level.Trial)
    public void setUp() {
        HttpHandler hello = exchange -> {
            exchange.responseHeaders().set("Content-Type", "text/plain");
            exchange.send(HELLO);
        };
        channel = EmbeddedSaker.open(hello);
        pipeline = channel.pipeline();
        alloc = channel.alloc();
        request = Requests.BROWSER_GET.getBytes(StandardCharsets.ISO_8859_1);
        pipeline.fireChannelRead(Requests.read(alloc, request));
        pipeline.fireChannelReadComplete();
        String response = Requests.outboundText(channel);
        if (!response.startsWith("HTTP/1.1 200 OK\r\n") || !response.endsWith("\r\n\r\nHello, World!")) {
            throw new IllegalStateException("unexpected response from the engine: " + response);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** @return the response bytes (returned so the work is not dead code) */
    @Benchmark
    public int exchange() {
        // fireChannelRead/ReadComplete is what the transport does for one read; writeInbound would add a varargs array.
        pipeline.fireChannelRead(Requests.read(alloc, request));
        pipeline.fireChannelReadComplete();
        return Requests.drainOutbound(channel);
    }
}
