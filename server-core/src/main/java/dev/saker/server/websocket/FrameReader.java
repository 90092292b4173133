package dev.saker.server.websocket;

import dev.saker.server.observe.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last inbound handler: takes the decoded (and inflated, UTF-8 checked) frames, answers the
 * control frames, hands data to {@link InboundMessages} and turns what the codec rejected into the
 * close code RFC 6455 asks for.
 */
final class FrameReader extends ChannelInboundHandlerAdapter {

    static final Logger LOG = LoggerFactory.getLogger(FrameReader.class);

    private final ChannelSession session;
    private final InboundMessages messages;
    private final CloseHandshake close;
    private final FrameWriter writer;
    private final ReadGate gate;
    private boolean stopped;

    FrameReader(ChannelSession session, WebSocketConfig config, ReadGate gate) {
        this.session = session;
        this.close = session.closeHandshake();
        this.writer = session.writer();
        this.messages = new InboundMessages(session, config);
        this.gate = gate;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame) || stopped) {
            ReferenceCountUtil.release(msg);
            return;
        }
        writer.readBatchStarted();
        process((WebSocketFrame) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        writer.readBatchEnded();
    }

    private void process(WebSocketFrame frame) {
        if (stopped) {
            frame.release();
            return;
        }
        if (frame.rsv() != 0) {
            // permessage-deflate consumed RSV1 already; any bit left belongs to no negotiated extension.
            frame.release();
            close.fail(CloseCodes.PROTOCOL_ERROR, "reserved bits set", CloseReason.PROTOCOL_ERROR);
            return;
        }
        if (frame instanceof CloseWebSocketFrame) {
            CloseWebSocketFrame closeFrame = (CloseWebSocketFrame) frame;
            int code = closeFrame.statusCode();
            String reason = code < 0 ? "" : closeFrame.reasonText();
            frame.release();
            if (code >= 0 && !CloseCodes.sendable(code)) {
                // Netty's decoder lets codes of 5000 and above through; RFC 6455 §7.4.2 defines none.
                close.fail(CloseCodes.PROTOCOL_ERROR, "invalid close code", CloseReason.PROTOCOL_ERROR);
                return;
            }
            close.received(code, reason);
            return;
        }
        if (frame instanceof PingWebSocketFrame) {
            ping(frame.content());
            return;
        }
        if (frame instanceof PongWebSocketFrame) {
            ByteBuf data = frame.content();
            try {
                if (!close.closing()) {
                    session.handler().onPong(session, data);
                }
            } catch (RuntimeException e) {
                handlerFailed(e);
            } finally {
                data.release();
            }
            return;
        }
        if (close.closing()) {
            // Past our close frame the client's data is dropped (RFC 6455 §5.5.1).
            frame.release();
            return;
        }
        boolean first = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
        if (!first && !(frame instanceof ContinuationWebSocketFrame)) {
            frame.release();
            close.fail(CloseCodes.PROTOCOL_ERROR, "unexpected frame", CloseReason.PROTOCOL_ERROR);
            return;
        }
        int result;
        try {
            result = messages.frame(first, frame instanceof TextWebSocketFrame, frame.content(),
                    frame.isFinalFragment());
        } catch (RuntimeException e) {
            handlerFailed(e);
            return;
        }
        if (result == InboundMessages.TOO_BIG) {
            close.fail(CloseCodes.MESSAGE_TOO_BIG, "message too big", CloseReason.PROTOCOL_ERROR);
        }
    }

    private void ping(ByteBuf data) {
        try {
            if (close.closing()) {
                return;
            }
            if (session.config().autoPong()) {
                session.pong(data.retainedDuplicate());
            }
            session.handler().onPing(session, data);
        } catch (RuntimeException e) {
            handlerFailed(e);
        } finally {
            data.release();
        }
    }

    private void handlerFailed(Throwable failure) {
        LOG.debug("WebSocket handler failed on {}", session, failure);
        notifyError(failure);
        close.start(CloseCodes.INTERNAL_ERROR, "", CloseReason.HANDLER_ERROR);
    }

    private void notifyError(Throwable failure) {
        try {
            session.handler().onError(session, failure);
        } catch (RuntimeException e) {
            LOG.debug("WebSocket onError failed", e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException) {
            CorruptedWebSocketFrameException corrupt = (CorruptedWebSocketFrameException) cause;
            close.fail(corrupt.closeStatus().code(), corrupt.closeStatus().reasonText(), CloseReason.PROTOCOL_ERROR);
        } else if (cause instanceof DecompressionException) {
            // Netty's inflater is bounded (maxAllocation = the message limit) and says so in its message.
            String message = cause.getMessage();
            boolean tooBig = message != null && message.contains("maximum size");
            close.fail(tooBig ? CloseCodes.MESSAGE_TOO_BIG : CloseCodes.INVALID_PAYLOAD,
                    tooBig ? "message too big" : "invalid compressed data", CloseReason.PROTOCOL_ERROR);
        } else if (cause instanceof CodecException) {
            close.fail(CloseCodes.PROTOCOL_ERROR, "protocol error", CloseReason.PROTOCOL_ERROR);
        } else if (cause instanceof IOException) {
            LOG.debug("WebSocket connection broke: {}", session, cause);
            stop();
            notifyError(cause);
            close.broke();
        } else {
            LOG.debug("WebSocket pipeline failed on {}", session, cause);
            notifyError(cause);
            close.fail(CloseCodes.INTERNAL_ERROR, "", CloseReason.HANDLER_ERROR);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            // The client stopped sending: no close frame can come any more. A close frame already
            // on its way out closes the connection once written.
            stop();
            if (!close.closing()) {
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        session.ended();
    }

    boolean paused() {
        return gate.paused();
    }

    void pause() {
        if (!stopped) {
            gate.pause();
        }
    }

    void resume() {
        gate.resume();
    }

    /** No frame is processed any more: the session failed, or the close handshake finished. */
    void stop() {
        stopped = true;
        gate.stop();
        messages.discard();
    }
}
