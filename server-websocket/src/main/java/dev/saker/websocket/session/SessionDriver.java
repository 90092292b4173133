package dev.saker.websocket.session;

import dev.saker.server.websocket.WebSocketHandler;
import dev.saker.server.websocket.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.concurrent.Executor;

/**
 * The engine's callbacks for one Jakarta session, on the event loop: each hands its work to the
 * session's serial executor and returns. The messages waiting for the application are bounded by
 * a {@link ReadBacklog} (the session's larger message limit): past it the engine stops reading, so
 * a slow handler pushes back on its client instead of letting messages queue without bound. While
 * {@code onOpen} runs the engine does not read at all.
 */
public final class SessionDriver implements WebSocketHandler {

    private SakerSession session;
    private volatile Executor executor;
    private final ReadBacklog backlog = new ReadBacklog(
            () -> Math.max(session.getMaxTextMessageBufferSize(), session.getMaxBinaryMessageBufferSize()));

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
        session.serial(() -> session.closed(code, reason));
    }
}
