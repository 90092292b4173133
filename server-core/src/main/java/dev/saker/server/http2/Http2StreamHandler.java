package dev.saker.server.http2;

import dev.saker.server.admission.Rejection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.MutableHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The handler of one stream's child channel: its first HEADERS frame makes the
 * {@link Http2Exchange} and starts the handler exactly as HTTP/1.1 does (inline on the loop, or on
 * the worker pool); DATA frames and trailers feed the request body; a reset or a close ends the
 * exchange. After the head the channel reads only when the body is asked for, which is what holds
 * the client's flow-control window back.
 */
final class Http2StreamHandler extends ChannelInboundHandlerAdapter {

    private final Http2Runtime rt;
    private final Http2Connection connection;
    private final LoopContext loop;
    private Http2Exchange exchange;
    private Http2RequestBody body;
    private boolean started;
    /** The status of a request answered before any exchange existed, or 0 (none: reset). */
    private int earlyStatus;
    /** When the request's HEADERS arrived (for the access log). */
    private long startedAt;
    /** Why a request without an exchange was refused, and the request when it could be parsed. */
    private String earlyReason;
    private Http2Request earlyRequest;

    Http2StreamHandler(Http2Runtime rt, Http2Connection connection, LoopContext loop) {
        this.rt = rt;
        this.connection = connection;
        this.loop = loop;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http2HeadersFrame) {
                Http2HeadersFrame frame = (Http2HeadersFrame) msg;
                if (!started) {
                    begin(ctx, frame.stream().id(), frame.headers(), frame.isEndStream());
                } else if (body != null) {
                    body.end(trailerFields(frame.headers()));
                }
            } else if (msg instanceof Http2DataFrame) {
                Http2DataFrame frame = (Http2DataFrame) msg;
                if (body != null) {
                    body.offer(frame.content().retain(), frame.isEndStream());
                }
            } else if (body != null) {
                // An unknown (extension) frame on this stream: ignored, but it took a read.
                body.frameSkipped();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, int streamId, Http2Headers headers, boolean endStream) {
        started = true;
        startedAt = System.nanoTime();
        connection.streamOpened();
        rt.stats.requestStarted();
        Http2Request request;
        try {
            request = new Http2Request(headers);
        } catch (BadRequestException e) {
            // RFC 9113 §8.1.1: a malformed request is a stream error of type PROTOCOL_ERROR.
            rt.stats.parseError(e.reason());
            earlyReason = e.reason();
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
            connection.feedUpgradeBody(streamId, null);
            return;
        }
        long max = rt.config.maxRequestBodySize();
        if (max >= 0 && request.contentLength > max) {
            rt.stats.parseError("body_too_large");
            earlyReason = "body_too_large";
            earlyRequest = request;
            answer(ctx, 413, endStream);
            connection.feedUpgradeBody(streamId, null);
            return;
        }
        // Each stream is a request for the rate and concurrency limits, counted on its connection's client.
        Rejection rejection = rt.admission == null ? null : rt.admission.admitRequest(ctx.channel().parent(), request.headers);
        if (rejection != null) {
            reject(ctx, rejection, endStream);
            connection.feedUpgradeBody(streamId, null);
            return;
        }
        long length = endStream ? 0 : request.contentLength;
        body = new Http2RequestBody(ctx.channel(), rt, connection.waits, length, endStream);
        // Stream 1 of a connection upgraded from HTTP/1.1: its body came with that request.
        connection.feedUpgradeBody(streamId, body);
        // From now on the stream reads only when the body is asked for.
        ctx.channel().config().setAutoRead(false);
        Http2Exchange admitted = new Http2Exchange(rt, connection, loop, ctx.channel(), request, body, startedAt);
        exchange = admitted;
        if (rt.admission != null && rt.admission.limitsConcurrency()) {
            admitted.holdPermit(rt.admission.now());
        }
        connection.startHandler(() -> dispatch(ctx, admitted));
    }

    /**
     * Runs the handler (its slot taken); a stream that closed while it waited for a slot gets no
     * handler, and the slot passes on.
     */
    private void dispatch(ChannelHandlerContext ctx, Http2Exchange exchange) {
        if (!ctx.channel().isActive()) {
            exchange.partEnded();
            // A later turn of the loop: passing the slot on directly would recurse once per closed
            // waiting stream (a connection closing with a long queue).
            ctx.channel().eventLoop().execute(connection::handlerReturned);
            return;
        }
        if (rt.dispatcher.inline()) {
            exchange.run();
            return;
        }
        try {
            loop.dispatch(exchange);
        } catch (RejectedExecutionException e) {
            rt.stats.requestRejected();
            exchange.engineReason("rejected");
            connection.handlerReturned();
            exchange.fail(503);
            exchange.partEnded();
        }
    }

    /**
     * A response without a body, for a request refused before any exchange exists; a request body
     * still to come is not wanted, so the stream is then reset with NO_ERROR, which tells the
     * client to stop sending (RFC 9113 section 8.1).
     */
    private void answer(ChannelHandlerContext ctx, int status, boolean requestEnded) {
        earlyStatus = status;
        Http2Headers head = new DefaultHttp2Headers().status(Integer.toString(status)).setInt("content-length", 0);
        // Counted as sent when the stream closes (requestFinished), as every response is.
        ctx.write(new DefaultHttp2HeadersFrame(head, true));
        if (!requestEnded) {
            ctx.write(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
        }
        ctx.flush();
    }

    /** Answers a request admission control refused: 429 or 503 with {@code Retry-After} and a short body. */
    private void reject(ChannelHandlerContext ctx, Rejection rejection, boolean requestEnded) {
        earlyStatus = rejection.status();
        earlyReason = rejection.reason().tag();
        byte[] text = rejection.body();
        Http2Headers head = new DefaultHttp2Headers().status(Integer.toString(rejection.status()))
                .set("retry-after", rejection.retryAfter())
                .set("content-type", "text/plain")
                .setInt("content-length", text.length);
        ctx.write(new DefaultHttp2HeadersFrame(head, false));
        ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(text), true));
        if (!requestEnded) {
            ctx.write(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
        }
        ctx.flush();
    }

    private static MutableHeaders trailerFields(Http2Headers block) {
        MutableHeaders fields = new MutableHeaders();
        for (Map.Entry<CharSequence, CharSequence> field : block) {
            try {
                fields.add(field.getKey().toString(), field.getValue().toString());
            } catch (IllegalArgumentException ignored) {
                // Pseudo-header or malformed trailer: not a field a handler can use; skip it.
            }
        }
        return fields;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof Http2ResetFrame && body != null) {
            body.abandon(new IOException("the client reset the stream (error "
                    + ((Http2ResetFrame) evt).errorCode() + ")"));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.writabilityChanged();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null) {
            exchange.streamClosed();
            // The request is finished, and the connection's stream done, once the handler returned too.
            exchange.partEnded();
        } else if (started) {
            rt.stats.requestFinished(earlyStatus);
            if (rt.accessLog != null) {
                Http2Request r = earlyRequest;
                rt.accessLog.finished((InetSocketAddress) ctx.channel().parent().remoteAddress(), r == null ? null : r.method,
                        r == null ? null : r.target, "HTTP/2.0", earlyStatus, 0, startedAt, earlyReason,
                        r == null ? null : r.headers, null, null);
            }
            connection.streamClosed();
        }
    }

    /**
     * A stream error the codec found in the client's frames (for example WINDOW_UPDATE with
     * increment 0) comes here as the codec's {@link Http2Exception}; the reset carries its code.
     * Anything else is INTERNAL_ERROR.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().isActive()) {
            Http2Error code = cause instanceof Http2Exception streamError ? streamError.error() : Http2Error.INTERNAL_ERROR;
            if (body != null) {
                body.abandon(new IOException("stream error " + code, cause));
            }
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(code));
        }
    }
}
