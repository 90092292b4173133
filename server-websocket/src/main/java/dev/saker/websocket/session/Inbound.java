package dev.saker.websocket.session;

import jakarta.websocket.CloseReason;
import jakarta.websocket.PongMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Turns the engine's message parts into what the session's handlers take: parts passed on to a
 * partial handler, or gathered into the whole message for a whole one, within the session's
 * {@code maxTextMessageBufferSize} / {@code maxBinaryMessageBufferSize} (past it: close 1009). A
 * message no handler takes closes the session with 1003 (5.1). Runs on the session's serial
 * executor, one part at a time.
 */
final class Inbound {

    private final SakerSession session;
    private StringBuilder text;
    private long textBytes;
    private ByteArrayOutputStream binary;
    /** Set when a message was refused: its remaining parts are dropped. */
    private boolean discardingText;
    private boolean discardingBinary;

    Inbound(SakerSession session) {
        this.session = session;
    }

    void text(String part, boolean last) {
        if (discardingText) {
            discardingText = !last;
            return;
        }
        MessageSink sink = session.handlers().sink(MessageKind.TEXT);
        if (sink == null) {
            refuse(true, last, CloseReason.CloseCodes.CANNOT_ACCEPT, "no handler for text messages");
            return;
        }
        if (sink.partial()) {
            deliver(sink, part, last);
            return;
        }
        if (text == null && last) {
            if (utf8Length(part) > session.getMaxTextMessageBufferSize()) {
                tooBig(true, last);
                return;
            }
            deliver(sink, part, true);
            return;
        }
        if (text == null) {
            text = new StringBuilder();
            textBytes = 0;
        }
        textBytes += utf8Length(part);
        if (textBytes > session.getMaxTextMessageBufferSize()) {
            text = null;
            tooBig(true, last);
            return;
        }
        text.append(part);
        if (last) {
            String whole = text.toString();
            text = null;
            deliver(sink, whole, true);
        }
    }

    void binary(byte[] part, boolean last) {
        if (discardingBinary) {
            discardingBinary = !last;
            return;
        }
        MessageSink sink = session.handlers().sink(MessageKind.BINARY);
        if (sink == null) {
            refuse(false, last, CloseReason.CloseCodes.CANNOT_ACCEPT, "no handler for binary messages");
            return;
        }
        if (sink.partial()) {
            deliver(sink, ByteBuffer.wrap(part), last);
            return;
        }
        if (binary == null && last) {
            if (part.length > session.getMaxBinaryMessageBufferSize()) {
                tooBig(false, last);
                return;
            }
            deliver(sink, ByteBuffer.wrap(part), true);
            return;
        }
        if (binary == null) {
            binary = new ByteArrayOutputStream();
        }
        if ((long) binary.size() + part.length > session.getMaxBinaryMessageBufferSize()) {
            binary = null;
            tooBig(false, last);
            return;
        }
        binary.write(part, 0, part.length);
        if (last) {
            byte[] whole = binary.toByteArray();
            binary = null;
            deliver(sink, ByteBuffer.wrap(whole), true);
        }
    }

    /** A message {@code sink} reads as it arrives: the handler runs now, and what it left unread is dropped. */
    void stream(MessageSink sink, MessageStream stream, boolean isText) {
        try {
            deliver(sink, isText ? stream.reader() : stream.inputStream(), true);
        } finally {
            stream.abandon();
        }
    }

    void pong(byte[] data) {
        MessageSink sink = session.handlers().sink(MessageKind.PONG);
        if (sink != null) {
            ByteBuffer payload = ByteBuffer.wrap(data).asReadOnlyBuffer();
            deliver(sink, (PongMessage) payload::duplicate, true);
        }
    }

    private void deliver(MessageSink sink, Object payload, boolean last) {
        try {
            sink.accept(session, payload, last);
        } catch (Throwable t) {
            session.applicationError(t);
        }
    }

    private void tooBig(boolean isText, boolean last) {
        refuse(isText, last, CloseReason.CloseCodes.TOO_BIG, "message too big");
    }

    private void refuse(boolean isText, boolean last, CloseReason.CloseCode code, String reason) {
        if (isText) {
            discardingText = !last;
        } else {
            discardingBinary = !last;
        }
        session.closeQuietly(new CloseReason(code, reason));
    }

    /** @return the UTF-8 length of {@code s} (the limit counts bytes, as the engine's does) */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
