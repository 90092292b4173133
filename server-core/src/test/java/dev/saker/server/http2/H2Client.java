package dev.saker.server.http2;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
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
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/** A small HTTP/2 test client on Netty's codec: one connection, any number of concurrent streams. */
final class H2Client implements AutoCloseable {

    /** One response: status, header block, body and trailers. */
    record Response(int status, Http2Headers headers, byte[] body, Http2Headers trailers) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    /** The error code of the first GOAWAY the server sent. */
    final CompletableFuture<Long> goAwayError = new CompletableFuture<>();

    /** Connects with prior knowledge (cleartext), or over TLS with ALPN {@code h2} when {@code trust} is given. */
    H2Client(int port, TrustManagerFactory trust) throws Exception {
        SslContext ssl = trust == null ? null : SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(trust)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (ssl != null) {
                    ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "localhost", port));
                }
                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                        new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof io.netty.handler.codec.http2.Http2GoAwayFrame) {
                                    goAwayError.complete(((io.netty.handler.codec.http2.Http2GoAwayFrame) msg).errorCode());
                                }
                                ReferenceCountUtil.release(msg);
                            }
                        });
            }
        }).connect("127.0.0.1", port).sync().channel();
        if (ssl != null) {
            channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
        }
    }

    /** @return the ALPN protocol agreed on, or {@code null} on cleartext */
    String applicationProtocol() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return ssl == null ? null : ssl.applicationProtocol();
    }

    /** Sends one request on a new stream; {@code body} may be {@code null} (no DATA frame). */
    CompletableFuture<Response> request(String method, String path, byte[] body) throws Exception {
        CompletableFuture<Response> result = new CompletableFuture<>();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel).handler(new Collector(result)).open().sync().getNow();
        Http2Headers head = new DefaultHttp2Headers().method(method).path(path).scheme(applicationProtocol() == null ? "http" : "https")
                .authority("localhost");
        boolean hasBody = body != null;
        stream.write(new DefaultHttp2HeadersFrame(head, !hasBody));
        if (hasBody) {
            stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
        }
        stream.flush();
        return result;
    }

    /** Opens a stream whose frames go to {@code handler}; the caller writes what it wants on it. */
    Http2StreamChannel open(io.netty.channel.ChannelHandler handler) throws Exception {
        return new Http2StreamChannelBootstrap(channel).handler(handler).open().sync().getNow();
    }

    /** Opens a stream whose frames are ignored; the caller writes what it wants on it. */
    Http2StreamChannel openStream() throws Exception {
        return new Http2StreamChannelBootstrap(channel).handler(new Collector(new CompletableFuture<>())).open().sync().getNow();
    }

    /** Opens a POST stream and sends {@code part} of its body without ending it; the response is ignored. */
    Http2StreamChannel openPartial(String path, byte[] part) throws Exception {
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(channel).handler(new Collector(new CompletableFuture<>()))
                .open().sync().getNow();
        Http2Headers head = new DefaultHttp2Headers().method("POST").path(path).scheme("http").authority("localhost");
        stream.write(new DefaultHttp2HeadersFrame(head, false));
        stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(part), false)).sync();
        return stream;
    }

    Response get(String path) throws Exception {
        return request("GET", path, null).get(20, TimeUnit.SECONDS);
    }

    /** @return the client side of Netty's connection state (the server's SETTINGS show in it) */
    io.netty.handler.codec.http2.Http2Connection state() {
        return channel.pipeline().get(io.netty.handler.codec.http2.Http2FrameCodec.class).connection();
    }

    /** @return the largest frame the server accepts, from its SETTINGS (what the client's writer uses) */
    int remoteMaxFrameSize() {
        return channel.pipeline().get(io.netty.handler.codec.http2.Http2FrameCodec.class).encoder().configuration()
                .frameSizePolicy().maxFrameSize();
    }

    boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() throws Exception {
        channel.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Gathers one stream's frames into a {@link Response}. */
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
                if (msg instanceof Http2HeadersFrame) {
                    Http2HeadersFrame frame = (Http2HeadersFrame) msg;
                    if (headers == null) {
                        headers = frame.headers();
                    } else {
                        trailers = frame.headers();
                    }
                    end = frame.isEndStream();
                } else if (msg instanceof Http2DataFrame) {
                    Http2DataFrame frame = (Http2DataFrame) msg;
                    ByteBuf content = frame.content();
                    body.writeBytes(ByteBufUtil.getBytes(content));
                    end = frame.isEndStream();
                }
                if (end) {
                    result.complete(new Response(Integer.parseInt(headers.status().toString()), headers, body.toByteArray(), trailers));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame) {
                result.completeExceptionally(new IllegalStateException("stream reset: " + ((Http2ResetFrame) evt).errorCode()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new IllegalStateException("stream closed before its response ended"));
        }
    }
}
