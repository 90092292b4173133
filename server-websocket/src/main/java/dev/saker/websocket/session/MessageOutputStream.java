package dev.saker.websocket.session;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * {@code RemoteEndpoint.Basic.getSendStream()}: one binary message written in parts. Bytes are
 * gathered up to {@link #PART_SIZE}, each full part goes out as a non-final frame, and
 * {@link #close()} sends the final one. Each part is a blocking send.
 */
final class MessageOutputStream extends OutputStream {

    static final int PART_SIZE = 8192;

    private final Sender sender;
    private final byte[] buffer = new byte[PART_SIZE];
    private int count;
    private boolean closed;

    MessageOutputStream(Sender sender) {
        this.sender = sender;
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        if (count == buffer.length) {
            sendPart(false);
        }
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (count == buffer.length) {
                sendPart(false);
            }
            int n = Math.min(len, buffer.length - count);
            System.arraycopy(b, off, buffer, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Sends what is gathered as a non-final part (nothing when nothing is gathered). */
    @Override
    public void flush() throws IOException {
        checkOpen();
        if (count > 0) {
            sendPart(false);
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            sendPart(true);
        }
    }

    private void sendPart(boolean last) throws IOException {
        byte[] part = java.util.Arrays.copyOf(buffer, count);
        count = 0;
        sender.binaryBlocking(ByteBuffer.wrap(part), last);
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the message stream is closed");
        }
    }
}
