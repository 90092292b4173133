package dev.saker.server.observe;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * WebSocket counters: sessions open now, data messages and their payload bytes in each direction
 * (after permessage-deflate: what the application received or sent), and sessions ended by close
 * code. The codes of RFC 6455 §7.4.1 that a server meets ({@link #CODES}) have a counter each;
 * any other code is counted under {@link #OTHER_CODE}.
 */
public final class WebSocketStats {

    /** The close codes counted on their own, in slot order. */
    public static final int[] CODES = {1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011};

    /** The slot for a code outside {@link #CODES}. */
    public static final int OTHER_CODE = -1;

    private final AtomicInteger sessionsActive = new AtomicInteger();
    private final LongAdder sessionsOpened = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder[] closes = new LongAdder[CODES.length + 1];

    public WebSocketStats() {
        for (int i = 0; i < closes.length; i++) {
            closes[i] = new LongAdder();
        }
    }

    private static int slot(int code) {
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i] == code) {
                return i;
            }
        }
        return CODES.length;
    }

    // ---- updates (engine side) ----

    public void sessionOpened() {
        sessionsOpened.increment();
        sessionsActive.incrementAndGet();
    }

    /** Records the end of a session with the close code it ended with (1006 without a close frame). */
    public void sessionClosed(int code) {
        closes[slot(code)].increment();
        sessionsActive.decrementAndGet();
    }

    public void messageReceived(long payloadBytes) {
        messagesIn.increment();
        bytesIn.add(payloadBytes);
    }

    /** Payload bytes of a fragment of a message being received (partial delivery). */
    public void bytesReceived(long payloadBytes) {
        bytesIn.add(payloadBytes);
    }

    public void messageSent(long payloadBytes) {
        messagesOut.increment();
        bytesOut.add(payloadBytes);
    }

    /** Payload bytes of a fragment of a message being sent; the message counts at its last fragment. */
    public void bytesSent(long payloadBytes) {
        bytesOut.add(payloadBytes);
    }

    // ---- reads (monitoring side) ----

    /** Sessions open now (between the handshake and the connection's close). */
    public int sessionsActive() { return sessionsActive.get(); }
    public long sessionsOpened() { return sessionsOpened.sum(); }
    /** Whole data messages received (text and binary). */
    public long messagesReceived() { return messagesIn.sum(); }
    public long messagesSent() { return messagesOut.sum(); }
    /** Payload bytes of data messages received, after decompression. */
    public long bytesReceived() { return bytesIn.sum(); }
    /** Payload bytes of data messages sent, before compression. */
    public long bytesSent() { return bytesOut.sum(); }

    /** Sessions that ended with {@code code}; {@link #OTHER_CODE} for the codes outside {@link #CODES}. */
    public long closes(int code) {
        return closes[code == OTHER_CODE ? CODES.length : slot(code)].sum();
    }
}
