package dev.saker.server.http2;

import dev.saker.server.observe.Http2Stats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.logging.LogLevel;

/**
 * Feeds {@link Http2Stats} from one connection's frame codec: the codec's frame logger hook sees
 * every RST_STREAM read or written (resets the codec sends on its own, such as REFUSED_STREAM or
 * the answer to a stream error, never reach a handler), and a connection listener sees streams
 * open and close and GOAWAY frames sent (also told to the connection, whose close reason it
 * names). The logging itself stays at TRACE, normally off.
 */
final class Http2Meters extends Http2FrameLogger {

    private final Http2Stats stats;

    Http2Meters(Http2Stats stats) {
        super(LogLevel.TRACE, Http2Meters.class);
        this.stats = stats;
    }

    @Override
    public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
        if (direction == Direction.INBOUND) {
            stats.resetReceived(errorCode);
        } else {
            stats.resetSent(errorCode);
        }
        super.logRstStream(direction, ctx, streamId, errorCode);
    }

    /**
     * Counts the streams and GOAWAY frames of {@code connection}, and tells {@code owner} of each
     * GOAWAY sent (its close reason).
     */
    void watch(Http2Connection connection, dev.saker.server.http2.Http2Connection owner) {
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                stats.streamOpened();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                stats.streamClosed();
            }

            @Override
            public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
                stats.goAwaySent(errorCode);
                owner.goAwaySent(errorCode);
            }
        });
    }
}
