package dev.saker.server.http2;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an HTTP/2 connection's pipeline: connection-level frames the multiplexer
 * passes on (SETTINGS, PING, GOAWAY) are released here, and a connection error the codec has
 * already answered (a GOAWAY, such as Netty's limit on RST_STREAM frames, CVE-2023-44487) ends the
 * connection, logged at DEBUG rather than as an unhandled pipeline exception.
 */
@ChannelHandler.Sharable
final class Http2ConnectionTail extends ChannelInboundHandlerAdapter {

    static final Http2ConnectionTail INSTANCE = new Http2ConnectionTail();

    private static final Logger log = LoggerFactory.getLogger(Http2ConnectionTail.class);

    private Http2ConnectionTail() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    /**
     * The frame codec fires a connection error here before it writes its GOAWAY; closing at once
     * would make the codec send GOAWAY(NO_ERROR) instead, so the close runs after the codec's turn
     * (it normally closes the connection itself once its GOAWAY is written).
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP/2 connection {} failed", ctx.channel(), cause);
        ctx.channel().eventLoop().execute(() -> ctx.close());
    }
}
