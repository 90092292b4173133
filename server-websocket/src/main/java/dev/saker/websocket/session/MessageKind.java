package dev.saker.websocket.session;

import jakarta.websocket.PongMessage;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;

/** The three kinds of incoming message a session has at most one handler each for (5.1). */
public enum MessageKind {
    TEXT, BINARY, PONG;

    /**
     * @return the kind a handler of {@code type} takes without a decoder, or {@code null} when it
     *         needs one (or a conversion: primitives and their boxes are text)
     */
    public static MessageKind plain(Class<?> type) {
        if (type == String.class || type == Reader.class || Payloads.isPrimitiveLike(type)) {
            return TEXT;
        }
        if (type == ByteBuffer.class || type == byte[].class || type == InputStream.class) {
            return BINARY;
        }
        if (type == PongMessage.class) {
            return PONG;
        }
        return null;
    }
}
