package dev.saker.server.observe;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP/2 counters: streams open now, RST_STREAM frames by direction and error code, GOAWAY frames
 * sent by error code. Error codes are those of RFC 9113 §7 ({@code 0x0} NO_ERROR to {@code 0xd}
 * HTTP_1_1_REQUIRED); any other code is counted under {@link #OTHER_CODE}.
 */
public final class Http2Stats {

    /** The slot for an error code outside RFC 9113's list. */
    public static final int OTHER_CODE = 0xe;

    private final AtomicInteger streamsActive = new AtomicInteger();
    private final LongAdder[] resetsSent = adders();
    private final LongAdder[] resetsReceived = adders();
    private final LongAdder[] goAwaysSent = adders();

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[OTHER_CODE + 1];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    private static int slot(long errorCode) {
        return errorCode >= 0 && errorCode < OTHER_CODE ? (int) errorCode : OTHER_CODE;
    }

    public void streamOpened() { streamsActive.incrementAndGet(); }
    public void streamClosed() { streamsActive.decrementAndGet(); }
    public void resetSent(long errorCode) { resetsSent[slot(errorCode)].increment(); }
    public void resetReceived(long errorCode) { resetsReceived[slot(errorCode)].increment(); }
    public void goAwaySent(long errorCode) { goAwaysSent[slot(errorCode)].increment(); }

    /** Streams open (active or half-closed) on every HTTP/2 connection now. */
    public int streamsActive() { return streamsActive.get(); }
    /** RST_STREAM frames the server sent with this error code (or {@link #OTHER_CODE}). */
    public long resetsSent(long errorCode) { return resetsSent[slot(errorCode)].sum(); }
    /** RST_STREAM frames clients sent with this error code (or {@link #OTHER_CODE}). */
    public long resetsReceived(long errorCode) { return resetsReceived[slot(errorCode)].sum(); }
    /** GOAWAY frames the server sent with this error code (or {@link #OTHER_CODE}). */
    public long goAwaysSent(long errorCode) { return goAwaysSent[slot(errorCode)].sum(); }
}
