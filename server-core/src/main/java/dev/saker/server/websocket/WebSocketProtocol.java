package dev.saker.server.websocket;

import dev.saker.server.connection.Connection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.connection.UpgradedProtocol;
import dev.saker.server.observe.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import java.util.List;

/**
 * A WebSocket session installed on an upgraded connection. The pipeline, from the socket: the
 * {@link WebSocketConnection} (counting, deadlines), Netty's frame encoder and decoder (masking,
 * reserved bits, control frame rules, frame size, close frame checks), the {@link ReadGate} that
 * holds frames while the application paused reading, permessage-deflate when
 * negotiated (its inflater bounded by the message limit), UTF-8 validation of text after
 * inflation, and the {@link FrameReader}.
 */
final class WebSocketProtocol implements UpgradedProtocol {

    private final WebSocketHandler handler;
    private final WebSocketConfig config;
    private final String subprotocol;
    private final WebSocketServerExtension deflate;
    private final List<String> extensions;
    private final String path;

    WebSocketProtocol(WebSocketHandler handler, WebSocketConfig config, String subprotocol,
            WebSocketServerExtension deflate, List<String> extensions, String path) {
        this.handler = handler;
        this.config = config;
        this.subprotocol = subprotocol;
        this.deflate = deflate;
        this.extensions = extensions;
        this.path = path;
    }

    @Override
    public void install(Channel channel, ServerRuntime runtime, LoopContext loop, ByteBuf rest) {
        Long acceptedAt = channel.attr(Connection.ACCEPTED_AT).get();
        long openedAt = acceptedAt == null ? System.nanoTime() : acceptedAt;
        if (!channel.isActive()) {
            // The client left during the 101: nothing to serve, but the count must still end.
            rest.release();
            runtime.stats().connectionClosed(CloseReason.CLIENT, System.nanoTime() - openedAt);
            return;
        }
        ChannelSession session = new ChannelSession(channel, handler, config, runtime.stats().webSocket(),
                subprotocol, extensions, path);
        WebSocketConnection connection = new WebSocketConnection(runtime, loop, session, openedAt);
        ReadGate gate = new ReadGate();
        FrameReader reader = new FrameReader(session, config, gate);
        session.attach(connection, reader);
        pipeline(channel.pipeline(), connection, gate, reader);
        try {
            handler.onOpen(session);
        } catch (RuntimeException e) {
            FrameReader.LOG.debug("WebSocket onOpen failed", e);
            try {
                handler.onError(session, e);
            } catch (RuntimeException again) {
                FrameReader.LOG.debug("WebSocket onError failed", again);
            }
            session.closeHandshake().start(CloseCodes.INTERNAL_ERROR, "", CloseReason.HANDLER_ERROR);
        }
        if (rest.isReadable()) {
            channel.pipeline().fireChannelRead(rest);
            channel.pipeline().fireChannelReadComplete();
        } else {
            rest.release();
        }
        if (!reader.paused()) {
            channel.config().setAutoRead(true);
        }
    }

    private void pipeline(ChannelPipeline pipeline, WebSocketConnection connection, ReadGate gate,
            FrameReader reader) {
        WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(deflate != null)
                .maxFramePayloadLength(config.maxFramePayload())
                // Failing the connection is ours (close code, stats); UTF-8 is checked after inflation.
                .closeOnProtocolViolation(false)
                .withUTF8Validator(false)
                .build();
        pipeline.addLast("ws-connection", connection);
        pipeline.addLast("ws-frame-encoder", new WebSocket13FrameEncoder(false));
        pipeline.addLast("ws-frame-decoder", new WebSocket13FrameDecoder(decoderConfig));
        pipeline.addLast("ws-read-gate", gate);
        if (deflate != null) {
            pipeline.addLast("ws-inflater", deflate.newExtensionDecoder());
            pipeline.addLast("ws-deflater", deflate.newExtensionEncoder());
        }
        pipeline.addLast("ws-utf8", new Utf8FrameValidator(false));
        pipeline.addLast("ws-frames", reader);
    }
}
