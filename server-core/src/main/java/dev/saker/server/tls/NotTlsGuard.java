package dev.saker.server.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Looks at the first byte a client sends to a TLS listener: a TLS handshake record passes (and this
 * handler leaves the pipeline); what looks like a cleartext HTTP request gets a short cleartext
 * {@code 400} saying the port needs TLS, as Tomcat answers; anything else is closed at once.
 */
final class NotTlsGuard extends ChannelInboundHandlerAdapter {

    /** TLS record content type of a handshake (RFC 8446, section 5.1). */
    private static final int HANDSHAKE_RECORD = 22;

    private static final String EXPLANATION = "This port needs TLS: send the request over HTTPS.\n";
    private static final byte[] NEEDS_TLS = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: " + EXPLANATION.length() + "\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + EXPLANATION).getBytes(StandardCharsets.US_ASCII);

    private final Runnable onNotTls;
    private boolean refused;

    /** @param onNotTls told (before the close) when the client spoke something other than TLS */
    NotTlsGuard(Runnable onNotTls) {
        this.onNotTls = onNotTls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (!in.isReadable()) {
            in.release();
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        if (first == HANDSHAKE_RECORD) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(in);
            return;
        }
        in.release();
        refused = true;
        ctx.channel().config().setAutoRead(false);
        onNotTls.run();
        if (first >= 'A' && first <= 'Z') {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(NEEDS_TLS)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
