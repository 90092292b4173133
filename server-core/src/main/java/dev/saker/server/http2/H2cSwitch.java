package dev.saker.server.http2;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http1.Http1Upgrade;
import dev.saker.server.observe.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One h2c upgrade, made once the request's body is read: {@code 101 Switching Protocols}, then
 * HTTP/2 installed as for prior knowledge, the client's {@code HTTP2-Settings} applied and stream 1
 * opened half-closed (remote) by Netty's {@code onHttpServerUpgrade}, the server's SETTINGS sent;
 * the request enters as stream 1's HEADERS through the codec's frame listener, so it reaches the
 * same stream handler and exchange as any stream. Its body does not come as DATA frames (they
 * would be counted against flow-control windows the client never used): the connection hands it
 * to stream 1's body directly. Bytes received after the request must begin with the client
 * preface; they go to the frame codec, which answers anything else with a connection error.
 */
final class H2cSwitch implements Http1Upgrade.Switch {

    private static final Logger log = LoggerFactory.getLogger(H2cSwitch.class);

    private static final byte[] SWITCHING = ("HTTP/1.1 101 Switching Protocols\r\n"
            + "Connection: Upgrade\r\nUpgrade: h2c\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final ServerStats stats;
    private final Http2Protocol http2;
    private final Http2Settings clientSettings;
    private final Http2Headers headers;

    H2cSwitch(ServerStats stats, Http2Protocol http2, Http2Settings clientSettings, Http2Headers headers) {
        this.stats = stats;
        this.http2 = http2;
        this.clientSettings = clientSettings;
        this.headers = headers;
    }

    @Override
    public void switchTo(Channel channel, LoopContext loop, ByteBuf body, HttpHeaders trailers, ByteBuf rest,
            boolean inReadBatch) {
        // Written before HTTP/2 is installed: its SETTINGS, written on install, must follow the 101.
        stats.sent(SWITCHING.length);
        channel.write(Unpooled.wrappedBuffer(SWITCHING));
        http2.install(channel, loop);
        Http2FrameCodec codec = channel.pipeline().get(Http2FrameCodec.class);
        Http2Connection connection = channel.pipeline().get(Http2Connection.class);
        connection.upgradedWith(body, trailers);
        try {
            codec.onHttpServerUpgrade(clientSettings);
            ChannelHandlerContext codecContext = channel.pipeline().context(codec);
            codec.decoder().frameListener().onHeadersRead(codecContext, Http2CodecUtil.HTTP_UPGRADE_STREAM_ID,
                    headers, 0, body == null && trailers == null);
        } catch (Http2Exception e) {
            // Not expected: the settings were checked before the 101 and stream 1 is new.
            log.debug("h2c upgrade of {} failed", channel, e);
            if (rest != null) {
                rest.release();
            }
            channel.close();
            return;
        }
        if (rest != null) {
            ChannelHandlerContext connectionContext = channel.pipeline().context(connection);
            // Fired past the connection handler: the HTTP/1.1 connection counted these bytes already.
            connectionContext.fireChannelRead(rest);
            if (!inReadBatch) {
                connectionContext.fireChannelReadComplete();
            }
        }
        channel.flush();
    }
}
