package dev.saker.websocket.session;

import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What both remotes share: pings, pongs and batching. Saker never holds a message back, so with
 * batching allowed or not each send goes to the socket at once and {@link #flushBatch()} has nothing
 * to write (the specification lets an implementation not batch).
 */
abstract class RemoteBase implements RemoteEndpoint {

    final SakerSession session;
    final Sender sender;
    private volatile boolean batchingAllowed;

    RemoteBase(SakerSession session, Sender sender) {
        this.session = session;
        this.sender = sender;
    }

    @Override
    public void setBatchingAllowed(boolean allowed) {
        this.batchingAllowed = allowed;
    }

    @Override
    public boolean getBatchingAllowed() {
        return batchingAllowed;
    }

    @Override
    public void flushBatch() {
        // Every send was written already: nothing is held back to flush.
    }

    @Override
    public void sendPing(ByteBuffer applicationData) throws IOException {
        sender.control(applicationData, true);
    }

    @Override
    public void sendPong(ByteBuffer applicationData) throws IOException {
        sender.control(applicationData, false);
    }

    static <T> T requireNonNull(T value) {
        if (value == null) {
            throw new IllegalArgumentException("the message must not be null");
        }
        return value;
    }
}
