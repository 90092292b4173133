package dev.saker.websocket.session;

import dev.saker.server.websocket.WebSocketSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.util.ArrayDeque;

/**
 * One incoming message given to a {@code Reader} or {@code InputStream} handler while it arrives:
 * the event loop puts its parts in ({@link #offer}), the handler's thread reads them out. Bounded:
 * past {@link #HIGH_WATER} queued characters or bytes the loop stops reading the socket until the
 * handler has taken half of them. Not bounded by the session's message limits, which are buffer
 * sizes: nothing but the queue is held.
 */
final class MessageStream {

    /** Queued characters (text) or bytes (binary) past which the socket is not read. */
    static final int HIGH_WATER = 64 * 1024;

    private final WebSocketSession ws;
    private final ArrayDeque<Object> parts = new ArrayDeque<>();
    private Object current;
    private int position;
    private long queued;
    private boolean ended;
    private boolean paused;
    private boolean abandoned;
    private IOException failure;

    MessageStream(WebSocketSession ws) {
        this.ws = ws;
    }

    /** On the loop: the next part ({@code String} or {@code byte[]}); {@code last} ends the message. */
    synchronized void offer(Object part, boolean last) {
        if (abandoned) {
            return;
        }
        parts.add(part);
        queued += size(part);
        ended = last;
        if (!last && queued > HIGH_WATER && !paused) {
            paused = true;
            ws.pauseReading();
        }
        notifyAll();
    }

    /** On the loop: the session closed before the message ended; the reader fails once it has read what came. */
    synchronized void fail(IOException cause) {
        if (!ended) {
            failure = cause;
            notifyAll();
        }
    }

    /** The handler returned: the rest of the message is dropped as it arrives. */
    synchronized void abandon() {
        abandoned = true;
        parts.clear();
        current = null;
        queued = 0;
        resumeIfPaused();
    }

    /** @return the part being read, with unread characters or bytes, or {@code null} at the end of the message */
    private synchronized Object part() throws IOException {
        while (current == null || position == size(current)) {
            current = parts.poll();
            position = 0;
            if (current != null) {
                queued -= size(current);
                if (queued <= HIGH_WATER / 2) {
                    resumeIfPaused();
                }
                continue;
            }
            if (ended || abandoned) {
                return null;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the rest of the message");
            }
        }
        return current;
    }

    private void resumeIfPaused() {
        if (paused) {
            paused = false;
            ws.resumeReading();
        }
    }

    private static int size(Object part) {
        return part instanceof String s ? s.length() : ((byte[]) part).length;
    }

    /** @return the message's text as it arrives */
    Reader reader() {
        return new Reader() {
            @Override
            public int read(char[] buf, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                synchronized (MessageStream.this) {
                    String text = (String) part();
                    if (text == null) {
                        return -1;
                    }
                    int n = Math.min(len, text.length() - position);
                    text.getChars(position, position + n, buf, off);
                    position += n;
                    return n;
                }
            }

            @Override
            public void close() {
                abandon();
            }
        };
    }

    /** @return the message's bytes as they arrive */
    InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                synchronized (MessageStream.this) {
                    byte[] data = (byte[]) part();
                    return data == null ? -1 : data[position++] & 0xff;
                }
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                synchronized (MessageStream.this) {
                    byte[] data = (byte[]) part();
                    if (data == null) {
                        return -1;
                    }
                    int n = Math.min(len, data.length - position);
                    System.arraycopy(data, position, buf, off, n);
                    position += n;
                    return n;
                }
            }

            @Override
            public void close() {
                abandon();
            }
        };
    }
}
