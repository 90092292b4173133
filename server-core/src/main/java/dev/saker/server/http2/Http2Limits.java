package dev.saker.server.http2;

import dev.saker.server.lifecycle.ServerConfig;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * The HTTP/2 limits of a {@link ServerConfig} applied to Netty's codec: the SETTINGS the server
 * advertises, and the flood limits, set explicitly rather than left to the defaults of whichever
 * Netty version is on the class path. A breached flood limit is a connection error: GOAWAY
 * (ENHANCE_YOUR_CALM) and the connection closed.
 */
final class Http2Limits {

    private Http2Limits() {
    }

    /** The SETTINGS the server sends first: streams, window, frame size, header list size. */
    static Http2Settings settings(ServerConfig config) {
        return Http2Settings.defaultSettings()
                .maxConcurrentStreams(config.http2MaxConcurrentStreams())
                .initialWindowSize(config.http2InitialWindowSize())
                .maxFrameSize(config.http2MaxFrameSize())
                .maxHeaderListSize(config.maxHeadSize());
    }

    /** Applies the settings and every flood limit to a server codec builder. */
    static Http2FrameCodecBuilder apply(Http2FrameCodecBuilder builder, ServerConfig config) {
        int window = (int) config.http2ResetWindow().getSeconds();
        return builder
                .initialSettings(settings(config))
                .decoderEnforceMaxRstFramesPerWindow(config.http2MaxResetsReceivedPerWindow(), window)
                .encoderEnforceMaxRstFramesPerWindow(config.http2MaxResetsSentPerWindow(), window)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(config.http2MaxConsecutiveEmptyDataFrames())
                .decoderEnforceMaxSmallContinuationFrames(config.http2MaxSmallContinuationFrames())
                .encoderEnforceMaxQueuedControlFrames(config.http2MaxQueuedControlFrames());
    }
}
