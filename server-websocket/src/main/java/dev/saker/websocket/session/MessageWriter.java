package dev.saker.websocket.session;

import java.io.IOException;
import java.io.Writer;

/**
 * {@code RemoteEndpoint.Basic.getSendWriter()}: one text message written in parts, as
 * {@link MessageOutputStream} does for binary. A part never ends between the two halves of a
 * surrogate pair, so every part is valid UTF-16 on its own.
 */
final class MessageWriter extends Writer {

    private final Sender sender;
    private final StringBuilder buffer = new StringBuilder(MessageOutputStream.PART_SIZE);
    private boolean closed;

    MessageWriter(Sender sender) {
        this.sender = sender;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        checkOpen();
        java.util.Objects.checkFromIndexSize(off, len, cbuf.length);
        buffer.append(cbuf, off, len);
        while (buffer.length() >= MessageOutputStream.PART_SIZE) {
            sendPart(MessageOutputStream.PART_SIZE, false);
        }
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        if (buffer.length() > 0) {
            sendPart(buffer.length(), false);
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            sendPart(buffer.length(), true);
        }
    }

    private void sendPart(int length, boolean last) throws IOException {
        int end = length;
        if (!last && end > 0 && Character.isHighSurrogate(buffer.charAt(end - 1))) {
            end--;
        }
        String part = buffer.substring(0, end);
        buffer.delete(0, end);
        sender.textBlocking(part, last);
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the message writer is closed");
        }
    }
}
