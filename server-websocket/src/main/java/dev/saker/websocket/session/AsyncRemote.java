package dev.saker.websocket.session;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends that return at once. Messages from one thread go out in the order it sent them (several
 * may be outstanding); each completes when written, or fails when the session closed first, the
 * write failed, or the send timeout passed (a positive {@link #getSendTimeout()}: the session is
 * then closed with 1011, since the message may be half written). {@link SendHandler}s run on the
 * server's dispatcher, not on the event loop.
 */
final class AsyncRemote extends RemoteBase implements RemoteEndpoint.Async {

    private volatile long sendTimeout;

    AsyncRemote(SakerSession session, Sender sender, long sendTimeout) {
        super(session, sender);
        this.sendTimeout = sendTimeout;
    }

    @Override
    public long getSendTimeout() {
        return sendTimeout;
    }

    @Override
    public void setSendTimeout(long timeoutMillis) {
        this.sendTimeout = timeoutMillis;
    }

    @Override
    public void sendText(String text, SendHandler handler) {
        requireNonNull(handler);
        notify(timed(sender.text(requireNonNull(text), true)), handler);
    }

    @Override
    public Future<Void> sendText(String text) {
        return timed(sender.text(requireNonNull(text), true));
    }

    @Override
    public Future<Void> sendBinary(ByteBuffer data) {
        return timed(sender.binary(requireNonNull(data), true));
    }

    @Override
    public void sendBinary(ByteBuffer data, SendHandler handler) {
        requireNonNull(handler);
        notify(timed(sender.binary(requireNonNull(data), true)), handler);
    }

    @Override
    public Future<Void> sendObject(Object data) {
        try {
            return timed(send(sender.encode(data)));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void sendObject(Object data, SendHandler handler) {
        requireNonNull(handler);
        CompletableFuture<Void> sent;
        try {
            sent = timed(send(sender.encode(data)));
        } catch (Exception e) {
            sent = CompletableFuture.failedFuture(e);
        }
        notify(sent, handler);
    }

    private CompletableFuture<Void> send(Object encoded) {
        return encoded instanceof String text ? sender.text(text, true) : sender.binary((ByteBuffer) encoded, true);
    }

    /** A view of {@code sent} that fails past the send timeout (the engine's own future is left alone). */
    private CompletableFuture<Void> timed(CompletableFuture<Void> sent) {
        long timeout = sendTimeout;
        if (timeout <= 0) {
            return sent.copy();
        }
        CompletableFuture<Void> view = sent.copy().orTimeout(timeout, TimeUnit.MILLISECONDS);
        view.whenComplete((v, t) -> {
            if (t instanceof TimeoutException) {
                session.closeQuietly(new jakarta.websocket.CloseReason(
                        jakarta.websocket.CloseReason.CloseCodes.UNEXPECTED_CONDITION, "send timed out"));
            }
        });
        return view;
    }

    private void notify(CompletableFuture<Void> sent, SendHandler handler) {
        sent.whenComplete((v, t) -> session.dispatch(() -> handler.onResult(
                t == null ? new SendResult() : new SendResult(t instanceof java.util.concurrent.CompletionException
                        && t.getCause() != null ? t.getCause() : t))));
    }
}
