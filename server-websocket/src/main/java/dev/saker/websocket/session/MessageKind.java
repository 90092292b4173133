package dev.saker.websocket.session;

import dev.saker.websocket.codec.CodecType;
import jakarta.websocket.PongMessage;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.util.List;

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

    /** @return whether a whole handler of {@code type} reads the message as it arrives */
    public static boolean streams(Class<?> type) {
        return type == Reader.class || type == InputStream.class;
    }

    /**
     * @return the kind a handler of {@code type} takes: {@link #plain}, else that of the first of
     *         {@code decoders} that decodes it; {@code null} for neither
     */
    public static MessageKind of(Class<?> type, List<CodecType> decoders) {
        MessageKind plain = plain(type);
        if (plain != null) {
            return plain;
        }
        for (CodecType d : decoders) {
            if (type.isAssignableFrom(d.target())) {
                return d.kind().text() ? TEXT : BINARY;
            }
        }
        return null;
    }
}
