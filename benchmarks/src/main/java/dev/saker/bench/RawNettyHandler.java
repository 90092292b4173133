package dev.saker.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code /plaintext} with the same bytes Saker sends (Content-Type, Date, Server,
 * Content-Length, body), in the style of the well-known Netty benchmark servers: constant
 * {@link AsciiString} headers, a Date value refreshed once a second, the body as a shared
 * read-only buffer, writes without promises and one flush per read batch. Also serves the other
 * benchmark endpoints the same way: {@code /json} (Jackson per request), {@code /bytes16k},
 * {@code /static/file-1m.bin} (from memory) and {@code POST /upload}, whose body is counted as it
 * arrives and answered with its length.
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
    private static final AsciiString JSON = AsciiString.cached("application/json");
    private static final AsciiString OCTETS = AsciiString.cached("application/octet-stream");
    private static final ByteBuf BYTES_16K = Unpooled.unreleasableBuffer(Unpooled.directBuffer()
            .writeBytes(Payloads.BYTES_16K)).asReadOnly();
    private static final ByteBuf STATIC_FILE = Unpooled.unreleasableBuffer(Unpooled.directBuffer()
            .writeBytes(Payloads.staticFile())).asReadOnly();
    private static final String STATIC_PATH = Payloads.STATIC_PREFIX + Payloads.STATIC_NAME;

    /** Bytes of the upload being received, or -1 when no upload is in progress. */
    private long uploaded = -1;
    private boolean uploadKeepAlive;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest) {
                HttpRequest request = (HttpRequest) msg;
                if (request.method().equals(HttpMethod.POST) && request.uri().equals("/upload")) {
                    uploaded = 0;
                    uploadKeepAlive = HttpUtil.isKeepAlive(request);
                } else if (PLAINTEXT.contentEquals(request.uri())) {
                    respond(ctx, request);
                } else {
                    respondOther(ctx, request);
                }
            }
            if (uploaded >= 0 && msg instanceof HttpContent) {
                uploaded += ((HttpContent) msg).content().readableBytes();
                if (msg instanceof LastHttpContent) {
                    ByteBuf body = ByteBufUtil.writeAscii(ctx.alloc(), Long.toString(uploaded));
                    uploaded = -1;
                    write(ctx, uploadKeepAlive, HttpResponseStatus.OK, TEXT_PLAIN, body);
                }
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
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.write(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void respondOther(ChannelHandlerContext ctx, HttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String uri = request.uri();
        if (uri.equals("/json")) {
            write(ctx, keepAlive, HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(Payloads.json()));
        } else if (uri.equals("/bytes16k")) {
            write(ctx, keepAlive, HttpResponseStatus.OK, OCTETS, BYTES_16K.duplicate());
        } else if (uri.equals(STATIC_PATH)) {
            write(ctx, keepAlive, HttpResponseStatus.OK, OCTETS, STATIC_FILE.duplicate());
        } else {
            write(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, null, Unpooled.EMPTY_BUFFER);
        }
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                              AsciiString contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, HEADERS, TRAILERS);
        HttpHeaders headers = response.headers();
        if (contentType != null) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        headers.set(HttpHeaderNames.DATE, HttpDateCache.value());
        headers.set(HttpHeaderNames.SERVER, SERVER);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (keepAlive) {
            ctx.write(response, ctx.voidPromise());
        } else {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
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
