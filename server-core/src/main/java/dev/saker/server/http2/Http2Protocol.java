package dev.saker.server.http2;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.Protocol;
import dev.saker.server.connection.ServerRuntime;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;

/**
 * HTTP/2 as a protocol of the connection layer: Netty's frame codec (framing, HPACK, flow control)
 * and multiplexer, one child channel per stream, each driving an {@link Http2Exchange}. In front of
 * them an {@link Http2Connection} does what every connection does (counting, sweep, shutdown).
 */
public final class Http2Protocol implements Protocol {

    private final Http2Runtime runtime;
    private final Http2Meters meters;

    public Http2Protocol(ServerRuntime runtime) {
        this.runtime = new Http2Runtime(runtime);
        this.meters = new Http2Meters(this.runtime.stats.http2());
    }

    @Override
    public String alpnId() {
        return "h2";
    }

    @Override
    public void install(Channel channel, LoopContext loop) {
        Http2Connection connection = new Http2Connection(runtime, loop);
        Http2FrameCodec codec = Http2Limits.apply(Http2FrameCodecBuilder.forServer(), runtime.config)
                .frameLogger(meters).build();
        meters.watch(codec.connection(), connection);
        channel.pipeline().addLast(connection, codec,
                new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel stream) {
                        stream.pipeline().addLast(new Http2StreamHandler(runtime, connection, loop));
                    }
                }), Http2ConnectionTail.INSTANCE);
    }
}
