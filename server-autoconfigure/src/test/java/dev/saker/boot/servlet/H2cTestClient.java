package dev.saker.boot.servlet;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 cleartext client with prior knowledge (the JDK's client only does h2c by
 * {@code Upgrade}), on Netty's codec: one loopback connection, one stream per request.
 */
public final class H2cTestClient implements AutoCloseable {

    /** One response: the header block, the body and the trailers ({@code null} when none). */
    public record Response(int status, Http2Headers headers, byte[] bytes, Http2Headers trailers) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    public H2cTestClient(int port) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                // Sends what it is told, even a header block over the server's advertised limit.
                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().encoderIgnoreMaxHeaderListSize(true).build(),
                        new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                // Connection-level frames (SETTINGS, PING, GOAWAY): not asserted here.
                                ReferenceCountUtil.release(msg);
                            }
                        });
            }
        }).connect("127.0.0.1", port).sync().channel();
    }

    /** One GET on a new stream, waited for up to 20 s. */
    public Response get(String path) throws Exception {
        return request("GET", path, null);
    }

    /** One GET with these extra fields on a new stream, waited for up to 20 s. */
    public Response get(String path, Http2Headers fields) throws Exception {
        return request("GET", path, fields, null);
    }

    /**
     * One request on a new stream, waited for up to 20 s; {@code body} ({@code null} for none)
     * goes as DATA, held back by the codec to the server's flow-control windows.
     */
    public Response request(String method, String path, byte[] body) throws Exception {
        return request(method, path, new DefaultHttp2Headers(), body);
    }

    private Response request(String method, String path, Http2Headers fields, byte[] body) throws Exception {
        CompletableFuture<Response> result = new CompletableFuture<>();
        Channel stream = new Http2StreamChannelBootstrap(channel).handler(new Collector(result)).open().sync().getNow();
        Http2Headers head = new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("localhost");
        head.add(fields);
        stream.write(new DefaultHttp2HeadersFrame(head, body == null));
        if (body != null) {
            stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        }
        stream.flush();
        return result.get(20, TimeUnit.SECONDS);
    }

    /** @return whether the connection is still open */
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Gathers one stream's frames. */
    private static final class Collector extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Response> result;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Http2Headers headers;
        private Http2Headers trailers;

        Collector(CompletableFuture<Response> result) {
            this.result = result;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                boolean end = false;
                if (msg instanceof Http2HeadersFrame frame) {
                    if (headers == null) {
                        headers = frame.headers();
                    } else {
                        trailers = frame.headers();
                    }
                    end = frame.isEndStream();
                } else if (msg instanceof Http2DataFrame frame) {
                    body.writeBytes(ByteBufUtil.getBytes(frame.content()));
                    end = frame.isEndStream();
                }
                if (end) {
                    result.complete(new Response(Integer.parseInt(headers.status().toString()), headers,
                            body.toByteArray(), trailers));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame reset) {
                result.completeExceptionally(new IllegalStateException("stream reset: " + reset.errorCode()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IllegalStateException("stream closed before its response ended"));
        }
    }
}
