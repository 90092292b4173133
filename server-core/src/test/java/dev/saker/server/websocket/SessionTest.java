package dev.saker.server.websocket;

import static dev.saker.server.testing.WsFrames.BINARY;
import static dev.saker.server.testing.WsFrames.CONTINUATION;
import static dev.saker.server.testing.WsFrames.PING;
import static dev.saker.server.testing.WsFrames.TEXT;
import static dev.saker.server.testing.WsFrames.frame;
import static dev.saker.server.testing.WsFrames.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.testing.WsFrames;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session API on the loop: partial delivery, sending in parts, pausing reads, backpressure. */
class SessionTest {

    private WsChannel ws;

    private WsChannel open(WebSocketConfig config) {
        ws = new WsChannel(config, new WsChannel.Recorder());
        return ws;
    }

    @AfterEach
    void tearDown() {
        if (ws != null) {
            ws.close();
        }
    }

    @Test
    void partialTextIsDeliveredPerFrameWithCharactersSplitAcrossFrames() {
        open(WebSocketConfig.builder().partialText(true).build());
        byte[] euro = utf8("€"); // three bytes: split after the first
        ws.send(frame(false, TEXT, WsFrames.concat(utf8("a"), Arrays.copyOf(euro, 1))),
                frame(false, CONTINUATION, Arrays.copyOfRange(euro, 1, 3)),
                frame(true, CONTINUATION, utf8("b")));
        assertThat(ws.handler.events).containsExactly("open", "text:a:false", "text:€:false", "text:b:true");
        assertThat(ws.stats.webSocket().messagesReceived()).isEqualTo(1);
        assertThat(ws.stats.webSocket().bytesReceived()).isEqualTo(5);
    }

    @Test
    void partialBinaryIsDeliveredPerFrameWhileTextStaysWhole() {
        open(WebSocketConfig.builder().partialBinary(true).build());
        ws.send(frame(false, BINARY, new byte[3]), frame(true, CONTINUATION, new byte[2]),
                frame(false, TEXT, utf8("x")), frame(true, CONTINUATION, utf8("y")));
        assertThat(ws.handler.events).containsExactly("open", "binary:3:false", "binary:2:true", "text:xy:true");
    }

    @Test
    void partialDeliveryBoundsEachPartByTheLimit() {
        open(WebSocketConfig.builder().partialBinary(true).maxBinaryMessageSize(10).build());
        ws.send(frame(false, BINARY, new byte[10]), frame(false, CONTINUATION, new byte[10]));
        assertThat(ws.handler.events).containsExactly("open", "binary:10:false", "binary:10:false");
        ws.send(frame(true, CONTINUATION, new byte[11]));
        assertThat(ws.frame().closeCode()).isEqualTo(1009);
    }

    @Test
    void messageSentInParts() {
        open(WebSocketConfig.defaults());
        WebSocketSession session = ws.handler.session;
        session.sendText("one", false);
        session.sendPing(Unpooled.copiedBuffer("p", StandardCharsets.UTF_8));
        session.sendText("two", true);
        session.sendBinary(Unpooled.buffer().writeZero(4), true);
        List<WsFrames.Frame> frames = ws.frames();
        assertThat(frames).extracting(WsFrames.Frame::opcode).containsExactly(TEXT, PING, CONTINUATION, BINARY);
        assertThat(frames).extracting(WsFrames.Frame::fin).containsExactly(false, true, true, true);
        assertThat(ws.stats.webSocket().messagesSent()).isEqualTo(2);
        assertThat(ws.stats.webSocket().bytesSent()).isEqualTo(10);
    }

    @Test
    void anotherMessageTypeWhilePartsAreOpenFails() {
        open(WebSocketConfig.defaults());
        ws.handler.session.sendText("one", false);
        CompletableFuture<Void> binary = ws.handler.session.sendBinary(Unpooled.buffer().writeZero(2), true);
        assertThat(binary).isCompletedExceptionally();
        assertThat(ws.frames()).hasSize(1);
    }

    @Test
    void oversizedPingIsRefused() {
        open(WebSocketConfig.defaults());
        assertThatThrownBy(() -> ws.handler.session.sendPing(Unpooled.buffer().writeZero(126)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blockingSendOnTheLoopIsRefused() {
        WsChannel.Recorder blocking = new WsChannel.Recorder() {
            @Override
            public void onText(WebSocketSession session, String text, boolean last) {
                try {
                    session.sendTextBlocking(text, last);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        };
        ws = new WsChannel(WebSocketConfig.defaults(), blocking);
        ws.send(WsFrames.text("x"));
        // The IllegalStateException is a handler failure: onError, then close 1011.
        assertThat(ws.handler.events).contains("error:IllegalStateException");
        assertThat(ws.frame().closeCode()).isEqualTo(1011);
    }

    @Test
    void pausedSessionKeepsFramesInOrderUntilResumed() {
        WsChannel.Recorder pausing = new WsChannel.Recorder() {
            @Override
            public void onText(WebSocketSession session, String text, boolean last) {
                super.onText(session, text, last);
                session.pauseReading();
            }
        };
        ws = new WsChannel(WebSocketConfig.defaults(), pausing);
        ws.send(WsFrames.text("one"), WsFrames.text("two"), frame(true, PING, utf8("p")), WsFrames.text("three"));
        assertThat(ws.handler.events).containsExactly("open", "text:one:true");
        assertThat(ws.channel.config().isAutoRead()).isFalse();
        assertThat(ws.frames()).isEmpty();
        ws.handler.session.resumeReading();
        assertThat(ws.handler.events).containsExactly("open", "text:one:true", "text:two:true");
        ws.handler.session.resumeReading();
        assertThat(ws.handler.events).containsExactly("open", "text:one:true", "text:two:true", "ping:p",
                "text:three:true");
        assertThat(ws.frame().opcode()).isEqualTo(WsFrames.PONG);
        ws.handler.session.resumeReading();
        assertThat(ws.channel.config().isAutoRead()).isTrue();
    }

    @Test
    void framesQueuedWhilePausedAreReleasedWhenTheConnectionCloses() {
        WsChannel.Recorder pausing = new WsChannel.Recorder() {
            @Override
            public void onBinary(WebSocketSession session, io.netty.buffer.ByteBuf data, boolean last) {
                super.onBinary(session, data, last);
                session.pauseReading();
            }
        };
        ws = new WsChannel(WebSocketConfig.defaults(), pausing);
        ws.send(frame(true, BINARY, new byte[100]), frame(true, BINARY, new byte[100]));
        ws.connection().forceClose();
        assertThat(ws.open()).isFalse();
        assertThat(ws.handler.events).containsExactly("open", "binary:100:true", "close:1006:");
    }

    @Test
    void onWritableRunsAtOnceWhenWritableAndAfterTheBufferDrains() {
        open(WebSocketConfig.defaults());
        WebSocketSession session = ws.handler.session;
        assertThat(session.writable()).isTrue();
        int[] runs = {0};
        session.onWritable(() -> runs[0]++);
        assertThat(runs[0]).isEqualTo(1);
        ws.channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(512, 1024));
        // Not flushed: queued in the outbound buffer, past the high-water mark.
        ws.channel.write(new io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame(Unpooled.buffer().writeZero(4096)));
        assertThat(session.writable()).isFalse();
        session.onWritable(() -> runs[0]++);
        assertThat(runs[0]).isEqualTo(1);
        ws.channel.flush();
        assertThat(session.writable()).isTrue();
        assertThat(runs[0]).isEqualTo(2);
        ws.frames();
    }

    @Test
    void describesTheSession() {
        open(WebSocketConfig.defaults());
        WebSocketSession session = ws.handler.session;
        assertThat(session.path()).isEqualTo("/ws");
        assertThat(session.subprotocol()).isNull();
        assertThat(session.extensions()).isEmpty();
        assertThat(session.isOpen()).isTrue();
        assertThat(session.secure()).isFalse();
        assertThat(session.config()).isEqualTo(WebSocketConfig.defaults());
    }
}
