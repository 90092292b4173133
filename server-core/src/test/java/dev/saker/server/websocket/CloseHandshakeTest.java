package dev.saker.server.websocket;

import static dev.saker.server.testing.WsFrames.CLOSE;
import static dev.saker.server.testing.WsFrames.PING;
import static dev.saker.server.testing.WsFrames.TEXT;
import static dev.saker.server.testing.WsFrames.frame;
import static dev.saker.server.testing.WsFrames.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.WsFrames;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The close handshake both ways, its timeout, the idle timeout, drain and forced close. */
class CloseHandshakeTest {

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
    void clientCloseIsEchoedAndTheServerClosesTcp() {
        open(WebSocketConfig.defaults()).send(WsFrames.close(1000, "bye"));
        WsFrames.Frame echo = ws.frame();
        assertThat(echo.opcode()).isEqualTo(CLOSE);
        assertThat(echo.closeCode()).isEqualTo(1000);
        assertThat(ws.open()).isFalse();
        assertThat(ws.handler.events).containsExactly("open", "close:1000:bye");
        assertThat(ws.stats.connectionsClosed(CloseReason.CLIENT)).isEqualTo(1);
        assertThat(ws.stats.webSocket().closes(1000)).isEqualTo(1);
    }

    @Test
    void emptyClientCloseIsEchoedEmptyAndReportedAs1005() {
        open(WebSocketConfig.defaults()).send(frame(true, CLOSE, new byte[0]));
        WsFrames.Frame echo = ws.frame();
        assertThat(echo.payload()).isEmpty();
        assertThat(ws.open()).isFalse();
        assertThat(ws.handler.events).containsExactly("open", "close:1005:");
        assertThat(ws.stats.webSocket().closes(1005)).isEqualTo(1);
    }

    @Test
    void framesAfterTheClientsCloseAreIgnored() {
        open(WebSocketConfig.defaults()).send(WsFrames.close(1001, ""), WsFrames.text("late"));
        assertThat(ws.frame().closeCode()).isEqualTo(1001);
        assertThat(ws.handler.events).containsExactly("open", "close:1001:");
    }

    @Test
    void serverCloseWaitsForTheClientsCloseFrame() {
        open(WebSocketConfig.defaults());
        ws.handler.session.close(4000, "done");
        WsFrames.Frame close = ws.frame();
        assertThat(close.closeCode()).isEqualTo(4000);
        assertThat(close.closeReason()).isEqualTo("done");
        assertThat(ws.open()).isTrue();
        assertThat(ws.handler.session.isOpen()).isFalse();
        // Data and pings after the server's close frame are dropped, not answered.
        ws.send(WsFrames.text("ignored"), frame(true, PING, utf8("p")));
        assertThat(ws.frames()).isEmpty();
        ws.send(WsFrames.close(4000, ""));
        assertThat(ws.frames()).isEmpty();
        assertThat(ws.open()).isFalse();
        assertThat(ws.handler.events).containsExactly("open", "close:4000:done");
        assertThat(ws.stats.connectionsClosed(CloseReason.SERVER)).isEqualTo(1);
    }

    @Test
    void serverCloseWithoutAnAnswerClosesAtTheCloseTimeout() {
        Duration timeout = Duration.ofSeconds(3);
        open(WebSocketConfig.builder().closeTimeout(timeout).build());
        ws.handler.session.close(1000, "");
        assertThat(ws.frame().closeCode()).isEqualTo(1000);
        long now = System.nanoTime();
        ws.connection().checkTimeouts(now);
        assertThat(ws.open()).isTrue();
        ws.connection().checkTimeouts(now + timeout.toNanos() + 1);
        assertThat(ws.open()).isFalse();
        assertThat(ws.stats.connectionsClosed(CloseReason.CLOSE_TIMEOUT)).isEqualTo(1);
        assertThat(ws.handler.events).containsExactly("open", "close:1000:");
    }

    @Test
    void idleSessionIsClosedWith1001() {
        Duration idle = Duration.ofSeconds(30);
        open(WebSocketConfig.builder().idleTimeout(idle).build());
        long now = System.nanoTime();
        ws.connection().checkTimeouts(now + idle.toNanos() / 2);
        assertThat(ws.frames()).isEmpty();
        ws.connection().checkTimeouts(now + idle.toNanos() + 1);
        WsFrames.Frame close = ws.frame();
        assertThat(close.closeCode()).isEqualTo(1001);
        ws.send(WsFrames.close(1001, ""));
        assertThat(ws.open()).isFalse();
        assertThat(ws.stats.connectionsClosed(CloseReason.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void perSessionIdleTimeoutOverridesTheConfigAndZeroTurnsItOff() {
        open(WebSocketConfig.builder().idleTimeout(Duration.ofSeconds(30)).build());
        ws.handler.session.idleTimeout(Duration.ZERO);
        ws.connection().checkTimeouts(System.nanoTime() + Duration.ofHours(1).toNanos());
        assertThat(ws.frames()).isEmpty();
        ws.handler.session.idleTimeout(Duration.ofSeconds(1));
        assertThat(ws.handler.session.idleTimeout()).isEqualTo(Duration.ofSeconds(1));
        ws.connection().checkTimeouts(System.nanoTime() + Duration.ofSeconds(2).toNanos());
        assertThat(ws.frame().closeCode()).isEqualTo(1001);
    }

    @Test
    void drainSendsGoingAwayAndFinishesTheHandshake() {
        open(WebSocketConfig.defaults());
        ws.connection().drain(System.nanoTime());
        WsFrames.Frame close = ws.frame();
        assertThat(close.closeCode()).isEqualTo(1001);
        assertThat(ws.open()).isTrue();
        ws.send(WsFrames.close(1001, ""));
        assertThat(ws.open()).isFalse();
        assertThat(ws.stats.connectionsClosed(CloseReason.SHUTDOWN)).isEqualTo(1);
        assertThat(ws.handler.events).containsExactly("open", "close:1001:server shutting down");
    }

    @Test
    void sessionOpenedWhileTheServerDrainsGoesAwayAtTheNextSweep() {
        open(WebSocketConfig.defaults());
        ws.runtime.startDraining();
        ws.connection().checkTimeouts(System.nanoTime());
        assertThat(ws.frame().closeCode()).isEqualTo(1001);
        ws.connection().checkTimeouts(System.nanoTime());
        assertThat(ws.frames()).isEmpty();
    }

    @Test
    void socketUnwritableForTheWriteTimeoutIsClosed() {
        Duration writeTimeout = Duration.ofSeconds(2);
        open(WebSocketConfig.builder().writeTimeout(writeTimeout).build());
        ws.channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(512, 1024));
        // Written, never flushed: the client "does not read".
        ws.channel.write(new io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame(
                io.netty.buffer.Unpooled.buffer().writeZero(4096)));
        assertThat(ws.handler.session.writable()).isFalse();
        long now = System.nanoTime();
        ws.connection().checkTimeouts(now + writeTimeout.toNanos() / 2);
        assertThat(ws.channel.isOpen()).isTrue();
        ws.connection().checkTimeouts(now + writeTimeout.toNanos() + 1);
        assertThat(ws.open()).isFalse();
        assertThat(ws.stats.connectionsClosed(CloseReason.WRITE_TIMEOUT)).isEqualTo(1);
        assertThat(ws.handler.events).containsExactly("open", "close:1006:");
    }

    @Test
    void forceCloseEndsTheSessionAs1006() {
        open(WebSocketConfig.defaults());
        ws.connection().forceClose();
        assertThat(ws.open()).isFalse();
        assertThat(ws.handler.events).containsExactly("open", "close:1006:");
        assertThat(ws.stats.webSocket().closes(1006)).isEqualTo(1);
        assertThat(ws.stats.connectionsClosed(CloseReason.SHUTDOWN)).isEqualTo(1);
    }

    @Test
    void closeRejectsCodesAnEndpointMayNotSend() {
        open(WebSocketConfig.defaults());
        assertThatThrownBy(() -> ws.handler.session.close(1005, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ws.handler.session.close(1006, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ws.handler.session.close(1000, "x".repeat(124)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendAfterCloseFailsAndReleases() {
        open(WebSocketConfig.defaults());
        ws.handler.session.close(1000, "");
        CompletableFuture<Void> sent = ws.handler.session.sendBinary(Unpooled.buffer().writeZero(10), true);
        assertThat(sent).isCompletedExceptionally();
        assertThat(ws.frame().opcode()).isEqualTo(CLOSE);
    }

    @Test
    void handlerThatThrowsGetsOnErrorAndTheSessionCloses1011() {
        WsChannel.Recorder failing = new WsChannel.Recorder() {
            @Override
            public void onText(WebSocketSession session, String text, boolean last) {
                super.onText(session, text, last);
                throw new IllegalStateException("boom");
            }
        };
        ws = new WsChannel(WebSocketConfig.defaults(), failing);
        ws.send(frame(true, TEXT, utf8("x")), WsFrames.text("dropped"));
        assertThat(ws.frame().closeCode()).isEqualTo(1011);
        ws.send(WsFrames.close(1011, ""));
        assertThat(ws.open()).isFalse();
        assertThat(ws.handler.events).containsExactly("open", "text:x:true", "error:IllegalStateException",
                "close:1011:");
        assertThat(ws.stats.connectionsClosed(CloseReason.HANDLER_ERROR)).isEqualTo(1);
    }
}
