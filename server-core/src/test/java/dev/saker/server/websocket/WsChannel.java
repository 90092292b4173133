package dev.saker.server.websocket;

import dev.saker.server.connection.Connection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.testing.WsFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A WebSocket session on an {@link EmbeddedChannel}: client frames in, server frames out. */
final class WsChannel implements AutoCloseable {

    final EmbeddedChannel channel = new EmbeddedChannel();
    final ServerStats stats = new ServerStats();
    final ServerRuntime runtime;
    final LoopContext loop;
    final Recorder handler;

    WsChannel(WebSocketConfig config, Recorder handler) {
        this(config, handler, List.of());
    }

    /** @param offers the client's {@code Sec-WebSocket-Extensions} values */
    WsChannel(WebSocketConfig config, Recorder handler, List<String> offers) {
        this.handler = handler;
        runtime = new ServerRuntime(ServerConfig.builder().build(), stats, ex -> { },
                Dispatcher.create(DispatchMode.EVENT_LOOP, 1, 0));
        loop = runtime.addLoop(channel.eventLoop());
        channel.attr(Connection.ACCEPTED_AT).set(System.nanoTime());
        stats.connectionOpened();
        DeflateNegotiation.Chosen deflate = DeflateNegotiation.negotiate(offers, config);
        WebSocketProtocol protocol = new WebSocketProtocol(handler, config, null,
                deflate == null ? null : deflate.extension(),
                deflate == null ? List.of() : List.of(deflate.responseField()), "/ws");
        protocol.install(channel, runtime, loop, Unpooled.EMPTY_BUFFER);
    }

    void send(byte[]... frames) {
        channel.writeInbound(Unpooled.wrappedBuffer(WsFrames.concat(frames)));
        channel.runPendingTasks();
    }

    /** @return the frames the server wrote since the last call */
    List<WsFrames.Frame> frames() {
        channel.runPendingTasks();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            byte[] copy = new byte[out.readableBytes()];
            out.readBytes(copy);
            out.release();
            bytes.write(copy, 0, copy.length);
        }
        return WsFrames.parse(bytes.toByteArray());
    }

    /** @return the one frame the server wrote since the last call */
    WsFrames.Frame frame() {
        List<WsFrames.Frame> frames = frames();
        if (frames.size() != 1) {
            throw new AssertionError("expected one frame, got " + frames.size());
        }
        return frames.get(0);
    }

    Connection connection() {
        return loop.connections().get(0);
    }

    boolean open() {
        channel.runPendingTasks();
        return channel.isOpen();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        loop.stopSweep();
    }

    /** Records every callback as a line, and echoes text when asked to. */
    static class Recorder implements WebSocketHandler {
        final List<String> events = new ArrayList<>();
        WebSocketSession session;
        boolean echo;

        @Override
        public void onOpen(WebSocketSession session) {
            this.session = session;
            events.add("open");
        }

        @Override
        public void onText(WebSocketSession session, String text, boolean last) {
            events.add("text:" + text + ":" + last);
            if (echo) {
                session.sendText(text, last);
            }
        }

        @Override
        public void onBinary(WebSocketSession session, ByteBuf data, boolean last) {
            events.add("binary:" + data.readableBytes() + ":" + last);
        }

        @Override
        public void onPing(WebSocketSession session, ByteBuf data) {
            events.add("ping:" + data.toString(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void onPong(WebSocketSession session, ByteBuf data) {
            events.add("pong:" + data.toString(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void onError(WebSocketSession session, Throwable cause) {
            events.add("error:" + cause.getClass().getSimpleName());
        }

        @Override
        public void onClose(WebSocketSession session, int code, String reason) {
            events.add("close:" + code + ":" + reason);
        }
    }
}
