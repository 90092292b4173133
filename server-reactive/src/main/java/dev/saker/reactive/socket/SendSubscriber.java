package dev.saker.reactive.socket;

import dev.saker.server.websocket.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.web.reactive.socket.WebSocketMessage;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.MonoSink;

/**
 * Writes what the application passes to {@code send(...)}, one message at a time and only as fast
 * as the client reads: the next message is asked for from the event loop once the socket is
 * writable again after the previous one ({@link WebSocketSession#onWritable}), so a slow client
 * slows the publisher down and at most one message waits beyond the connection's write buffer.
 *
 * <p>The {@code send} Mono completes when the publisher completed and its last message is written,
 * or when the session ended (the rest is not wanted any more, as on Spring's other servers); it
 * fails when the publisher fails or a write fails while the session is still open.
 */
final class SendSubscriber implements CoreSubscriber<WebSocketMessage> {

    private static final int RELEASE_AHEAD = 32;

    private final WebSocketSession engine;
    private final MonoSink<Void> result;
    private volatile Subscription upstream;
    private volatile CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);
    private volatile boolean sessionGone;
    /** The publisher was stopped: messages still arriving are released unwritten. */
    private volatile boolean stopped;
    private volatile boolean inNext;
    private int releasedWhileStopped;

    SendSubscriber(WebSocketSession engine, MonoSink<Void> result, CompletableFuture<Void> sessionEnded) {
        this.engine = engine;
        this.result = result;
        sessionEnded.whenComplete((ignored, failure) -> {
            sessionGone = true;
            cancelUpstream();
            if (failure != null) {
                result.error(failure);
            } else {
                result.success();
            }
        });
        result.onCancel(this::cancelUpstream);
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s;
        if (sessionGone) {
            cancelUpstream();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(WebSocketMessage message) {
        if (sessionGone || stopped) {
            message.release();
            if (++releasedWhileStopped == RELEASE_AHEAD) {
                upstream.cancel();
            }
            return;
        }
        inNext = true;
        try {
            writeAndAskForMore(message);
        } finally {
            inNext = false;
        }
    }

    private void writeAndAskForMore(WebSocketMessage message) {
        CompletableFuture<Void> written;
        try {
            written = write(message);
        } catch (RuntimeException e) {
            cancelUpstream();
            result.error(e);
            return;
        }
        lastWrite = written;
        written.whenComplete((ignored, failure) -> {
            if (failure != null) {
                cancelUpstream();
                writeFailed(failure);
            }
        });
        // Runs on the loop after this write was queued, and once the socket takes more.
        engine.onWritable(() -> upstream.request(1));
    }

    @Override
    public void onError(Throwable failure) {
        result.error(failure);
    }

    @Override
    public void onComplete() {
        lastWrite.whenComplete((ignored, failure) -> {
            if (failure != null) {
                writeFailed(failure);
            } else {
                result.success();
            }
        });
    }

    private void writeFailed(Throwable failure) {
        if (engine.isOpen()) {
            result.error(failure);
        } else {
            // The session is closing: what was not written is not wanted any more.
            result.success();
        }
    }

    /**
     * Stops the publisher. What it made already is taken first (up to {@value #RELEASE_AHEAD}
     * messages, released as they arrive): {@code Flux.just(...)} drops the messages it still holds
     * on cancel without releasing their pooled payloads.
     */
    private void cancelUpstream() {
        stopped = true;
        Subscription s = upstream;
        if (s != null) {
            s.request(RELEASE_AHEAD);
            // Inside onNext the publisher goes on emitting only after it returns, and a cancel now
            // would stop it first: then onNext cancels once it has released what was asked for.
            if (!inNext) {
                s.cancel();
            }
        }
    }

    private CompletableFuture<Void> write(WebSocketMessage message) {
        switch (message.getType()) {
            case TEXT:
                String text = message.getPayloadAsText();
                message.release();
                return engine.sendText(text, true);
            case BINARY:
                return engine.sendBinary(byteBuf(message.getPayload()), true);
            case PING:
                return engine.sendPing(byteBuf(message.getPayload()));
            case PONG:
                return engine.sendPong(byteBuf(message.getPayload()));
            default:
                message.release();
                throw new IllegalArgumentException("unknown WebSocket message type: " + message.getType());
        }
    }

    /** The payload as a buffer the engine owns: a Netty buffer as it is, any other copied (and released). */
    static ByteBuf byteBuf(DataBuffer payload) {
        if (payload instanceof NettyDataBuffer netty) {
            return netty.getNativeBuffer();
        }
        ByteBuf copy = Unpooled.buffer(payload.readableByteCount());
        try (DataBuffer.ByteBufferIterator chunks = payload.readableByteBuffers()) {
            while (chunks.hasNext()) {
                copy.writeBytes(chunks.next());
            }
        } finally {
            DataBufferUtils.release(payload);
        }
        return copy;
    }
}
