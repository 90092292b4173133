package dev.saker.server.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Which frame type the next outgoing data part needs: a message sent in parts starts with a text or
 * binary frame and goes on with continuation frames, and another message may not start before
 * its last part. Event loop only.
 */
final class Outbound {

    private static final int NONE = 0;
    private static final int TEXT = 1;
    private static final int BINARY = 2;

    private int open = NONE;

    /**
     * @return the frame carrying {@code data} (owned by the frame)
     * @throws IllegalStateException when a message of the other type is open (data is then not taken)
     */
    WebSocketFrame frame(boolean text, ByteBuf data, boolean last) {
        int type = text ? TEXT : BINARY;
        WebSocketFrame frame;
        if (open == NONE) {
            frame = text ? new TextWebSocketFrame(last, 0, data) : new BinaryWebSocketFrame(last, 0, data);
        } else if (open == type) {
            frame = new ContinuationWebSocketFrame(last, 0, data);
        } else {
            throw new IllegalStateException("a " + (open == TEXT ? "text" : "binary")
                    + " message sent in parts is not finished: its last part must go first");
        }
        open = last ? NONE : type;
        return frame;
    }
}
