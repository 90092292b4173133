package dev.saker.server.http2;

import io.netty.handler.codec.http2.Http2FrameCodecBuilder;

/**
 * The flood limits of Netty's HTTP/2 codec, set explicitly here rather than left to the defaults
 * of whichever Netty version is on the class path. Each breach is a connection error: GOAWAY
 * (ENHANCE_YOUR_CALM) and the connection closed.
 */
final class Http2Limits {

    /** RST_STREAM frames a client may send per {@link #RESET_WINDOW_SECONDS} (Rapid Reset, CVE-2023-44487). */
    static final int MAX_RESETS_RECEIVED = 200;

    /** RST_STREAM frames the server may send per window: a client provoking them (MadeYouReset, CVE-2025-8671). */
    static final int MAX_RESETS_SENT = 200;

    static final int RESET_WINDOW_SECONDS = 30;

    /** Consecutive empty DATA frames without END_STREAM on one stream. */
    static final int MAX_CONSECUTIVE_EMPTY_DATA_FRAMES = 2;

    /** CONTINUATION frames smaller than a useful size in one header block (zero-length floods). */
    static final int MAX_SMALL_CONTINUATION_FRAMES = 16;

    /** Control frames (PING and SETTINGS acks, resets) queued unflushed because the client does not read. */
    static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;

    private Http2Limits() {
    }

    /** Applies every limit to a server codec builder. */
    static Http2FrameCodecBuilder apply(Http2FrameCodecBuilder builder) {
        return builder
                .decoderEnforceMaxRstFramesPerWindow(MAX_RESETS_RECEIVED, RESET_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(MAX_RESETS_SENT, RESET_WINDOW_SECONDS)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA_FRAMES)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATION_FRAMES)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES);
    }
}
