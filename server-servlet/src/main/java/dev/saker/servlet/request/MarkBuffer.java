package dev.saker.servlet.request;

import java.io.IOException;

/**
 * {@code mark}/{@code reset} for the blocking request body: keeps the bytes read since the mark and
 * replays them after a reset. Spring MVC checks for an empty body with {@code mark(1)}, one
 * {@code read()} and {@code reset()} when a stream supports it, and otherwise wraps it in a
 * {@code PushbackInputStream}, whose bulk reads lose the body stream's own fast paths.
 * Memory grows only with what the application reads between a mark and its reset.
 */
final class MarkBuffer {

    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;
    /** Next byte to replay. */
    private int pos;
    /** End of the kept bytes. */
    private int count;
    /** How many kept bytes keep the mark valid. */
    private int limit;
    private boolean marked;

    /** @return kept bytes still to be replayed */
    int available() {
        return count - pos;
    }

    /** Replays kept bytes; call only when {@link #available()} is positive. */
    int read(byte[] b, int off, int len) {
        int n = Math.min(len, count - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        if (!marked && pos == count) {
            clear();
        }
        return n;
    }

    /** Fresh bytes the stream just returned (all kept bytes were replayed before them). */
    void recorded(byte[] b, int off, int n) {
        if (!marked) {
            return;
        }
        if ((long) count + n > limit) {
            // Read past the read limit: the mark is gone, and so is what it kept.
            marked = false;
            clear();
            return;
        }
        if (count + n > bytes.length) {
            byte[] grown = new byte[Math.min(limit, Math.max(count + n, 2 * bytes.length))];
            System.arraycopy(bytes, 0, grown, 0, count);
            bytes = grown;
        }
        System.arraycopy(b, off, bytes, count, n);
        count += n;
        pos = count;
    }

    /** Marks the current position: bytes kept but not yet replayed stay, at the front. */
    void mark(int readLimit) {
        int unread = count - pos;
        if (unread > 0 && pos > 0) {
            System.arraycopy(bytes, pos, bytes, 0, unread);
        }
        pos = 0;
        count = unread;
        limit = Math.max(Math.max(readLimit, 0), unread);
        marked = true;
    }

    void reset() throws IOException {
        if (!marked) {
            throw new IOException("no mark to reset to (none was set, or more than its read limit was read since)");
        }
        pos = 0;
    }

    private void clear() {
        bytes = EMPTY;
        pos = 0;
        count = 0;
    }
}
