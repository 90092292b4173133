package dev.saker.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code /plaintext} with the same bytes Saker sends (Content-Type, Date, Server,
 * Content-Length, body), in the style of the well-known Netty benchmark servers: constant
 * {@link AsciiString} headers, a Date value refreshed once a second, the body as a shared
 * read-only buffer, writes without promises and one flush per read batch.
 */
final class RawNettyHandler extends ChannelInboundHandlerAdapter {

    private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(Unpooled.directBuffer(13)
            .writeBytes("Hello, World!".getBytes(StandardCharsets.US_ASCII))).asReadOnly();
    // Constant, known-valid names and values: validating them per response would only add work.
    private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString SERVER = AsciiString.cached("Netty");
    private static final AsciiString LENGTH = AsciiString.cached("13");
    private static final AsciiString ZERO = AsciiString.cached("0");
    private static final AsciiString PLAINTEXT = AsciiString.cached("/plaintext");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest) {
                respond(ctx, (HttpRequest) msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static void respond(ChannelHandlerContext ctx, HttpRequest request) {
        boolean hello = PLAINTEXT.contentEquals(request.uri());
        FullHttpResponse response = hello
                ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, HELLO.duplicate(),
                        HEADERS, TRAILERS)
                : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                        Unpooled.EMPTY_BUFFER, HEADERS, TRAILERS);
        HttpHeaders headers = response.headers();
        if (hello) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
        }
        headers.set(HttpHeaderNames.DATE, HttpDateCache.value());
        headers.set(HttpHeaderNames.SERVER, SERVER);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, hello ? LENGTH : ZERO);
        if (HttpUtil.isKeepAlive(request)) {
            ctx.write(response, ctx.voidPromise());
        } else {
            ctx.write(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
