package dev.saker.websocket.session;

import dev.saker.server.websocket.WebSocketHandler;
import dev.saker.server.websocket.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * The engine's callbacks for one Jakarta session, on the event loop: each hands its work to the
 * session's serial executor and returns. The messages waiting for the application are bounded by
 * a {@link ReadBacklog} (the session's larger message limit): past it the engine stops reading, so
 * a slow handler pushes back on its client instead of letting messages queue without bound. While
 * {@code onOpen} runs the engine does not read at all. A message read by a {@code Reader} or
 * {@code InputStream} handler goes its own way: its parts go straight into a {@link MessageStream}
 * while the handler reads, which pauses reading only when it backs up.
 */
public final class SessionDriver implements WebSocketHandler {

    private SakerSession session;
    private volatile Executor executor;
    private final ReadBacklog backlog = new ReadBacklog(
            () -> Math.max(session.getMaxTextMessageBufferSize(), session.getMaxBinaryMessageBufferSize()));
    /** On the loop: the message being read by a Reader or InputStream handler as it arrives, or null. */
    private MessageStream streaming;
    /** On the loop: a message has begun and its last part has not come. */
    private boolean midMessage;

    /**
     * Sets the session the callbacks drive; called once, before the connection is handed over
     * (the hand-over to the event loop publishes it).
     */
    public void session(SakerSession session) {
        this.session = session;
    }

    /** Sets where application code runs; called before the session opens. */
    public void executor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void onOpen(WebSocketSession ws) {
        session.attach(ws, executor);
        ws.pauseReading();
        session.serial(() -> {
            try {
                session.open();
            } finally {
                ws.resumeReading();
            }
        });
    }

    @Override
    public void onText(WebSocketSession ws, String text, boolean last) {
        if (streamed(ws, MessageKind.TEXT, text, last)) {
            return;
        }
        long cost = ReadBacklog.cost(text.length());
        backlog.queued(ws, cost);
        session.serial(() -> {
            try {
                session.inbound().text(text, last);
            } finally {
                backlog.handled(ws, cost);
            }
        });
    }

    @Override
    public void onBinary(WebSocketSession ws, ByteBuf data, boolean last) {
        byte[] bytes = ByteBufUtil.getBytes(data);
        if (streamed(ws, MessageKind.BINARY, bytes, last)) {
            return;
        }
        long cost = ReadBacklog.cost(bytes.length);
        backlog.queued(ws, cost);
        session.serial(() -> {
            try {
                session.inbound().binary(bytes, last);
            } finally {
                backlog.handled(ws, cost);
            }
        });
    }

    /**
     * A part of a message whose handler reads it as it arrives (a {@code Reader} or {@code InputStream}):
     * the first part opens the stream and runs the handler after the session's earlier callbacks; the
     * others go into the stream, not through the serial executor, which the reading handler occupies.
     *
     * @return whether the part went that way
     */
    private boolean streamed(WebSocketSession ws, MessageKind kind, Object part, boolean last) {
        if (streaming != null) {
            streaming.offer(part, last);
            if (last) {
                streaming = null;
                midMessage = false;
            }
            return true;
        }
        boolean first = !midMessage;
        midMessage = !last;
        MessageSink sink = first ? session.handlers().sink(kind) : null;
        if (sink == null || !sink.streams()) {
            return false;
        }
        MessageStream stream = new MessageStream(ws);
        stream.offer(part, last);
        if (!last) {
            streaming = stream;
        }
        // Not read further until the handler runs; then the parts flow while it reads.
        ws.pauseReading();
        session.serial(() -> {
            ws.resumeReading();
            session.inbound().stream(sink, stream, kind == MessageKind.TEXT);
        });
        return true;
    }

    @Override
    public void onPong(WebSocketSession ws, ByteBuf data) {
        byte[] bytes = ByteBufUtil.getBytes(data);
        session.serial(() -> session.inbound().pong(bytes));
    }

    @Override
    public void onError(WebSocketSession ws, Throwable cause) {
        session.serial(() -> session.applicationError(cause));
    }

    @Override
    public void onClose(WebSocketSession ws, int code, String reason) {
        if (streaming != null) {
            streaming.fail(new IOException("the session closed before the message ended"));
            streaming = null;
        }
        session.serial(() -> session.closed(code, reason));
    }
}
