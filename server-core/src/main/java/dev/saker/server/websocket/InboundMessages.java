package dev.saker.server.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Turns data frames into what the application receives: whole messages reassembled up to their
 * size limit, or the parts as they come (partial delivery, text decoded across frame boundaries).
 * The frame decoder has already rejected interleaved data frames and the UTF-8 validator invalid
 * text. Event loop only.
 */
final class InboundMessages {

    /** Thrown-free signal: the message grew past its limit. */
    static final int TOO_BIG = -1;

    private final ChannelSession session;
    private final WebSocketConfig config;
    private final Utf8Parts textParts = new Utf8Parts();
    private CompositeByteBuf whole;
    private boolean text;
    private boolean partial;
    private long size;

    InboundMessages(ChannelSession session, WebSocketConfig config) {
        this.session = session;
        this.config = config;
    }

    /**
     * Takes one data frame's payload ({@code first} for a text or binary frame, false for a
     * continuation); releases it.
     *
     * @return {@link #TOO_BIG} when the message passed its limit (the caller fails the session), else 0
     */
    int frame(boolean first, boolean isText, ByteBuf data, boolean last) {
        try {
            if (first) {
                text = isText;
                partial = isText ? config.partialText() : config.partialBinary();
                size = 0;
            }
            size += data.readableBytes();
            int limit = text ? config.maxTextMessageSize() : config.maxBinaryMessageSize();
            if (partial) {
                // Parts go on at once, so only a part must fit the limit, not the whole message.
                if (data.readableBytes() > limit) {
                    return TOO_BIG;
                }
                deliverPart(data, last);
                return 0;
            }
            if (size > limit) {
                return TOO_BIG;
            }
            if (last && whole == null) {
                deliverWhole(data);
                return 0;
            }
            if (whole == null) {
                whole = data.alloc().compositeBuffer(1024);
            }
            whole.addComponent(true, data.retain());
            if (last) {
                CompositeByteBuf message = whole;
                whole = null;
                try {
                    deliverWhole(message);
                } finally {
                    message.release();
                }
            }
            return 0;
        } finally {
            data.release();
        }
    }

    private void deliverWhole(ByteBuf message) {
        session.stats().messageReceived(message.readableBytes());
        WebSocketHandler handler = session.handler();
        if (text) {
            handler.onText(session, message.toString(StandardCharsets.UTF_8), true);
        } else {
            handler.onBinary(session, message, true);
        }
    }

    private void deliverPart(ByteBuf data, boolean last) {
        if (last) {
            session.stats().messageReceived(data.readableBytes());
        } else {
            session.stats().bytesReceived(data.readableBytes());
        }
        WebSocketHandler handler = session.handler();
        if (text) {
            handler.onText(session, textParts.decode(data, last), last);
        } else {
            handler.onBinary(session, data, last);
        }
    }

    /** Drops a message being reassembled (the session closed). */
    void discard() {
        if (whole != null) {
            whole.release();
            whole = null;
        }
        textParts.reset();
    }
}
