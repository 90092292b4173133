package dev.saker.server.websocket;

import static dev.saker.server.testing.WsFrames.BINARY;
import static dev.saker.server.testing.WsFrames.CLOSE;
import static dev.saker.server.testing.WsFrames.CONTINUATION;
import static dev.saker.server.testing.WsFrames.PING;
import static dev.saker.server.testing.WsFrames.PONG;
import static dev.saker.server.testing.WsFrames.TEXT;
import static dev.saker.server.testing.WsFrames.frame;
import static dev.saker.server.testing.WsFrames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.WsFrames;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455's framing rules, each broken once: the server fails the connection with the right code. */
class FramingTest {

    private WsChannel ws;

    private WsChannel open(WebSocketConfig config) {
        WsChannel.Recorder recorder = new WsChannel.Recorder();
        recorder.echo = true;
        ws = new WsChannel(config, recorder);
        return ws;
    }

    private WsChannel open() {
        return open(WebSocketConfig.defaults());
    }

    @AfterEach
    void tearDown() {
        if (ws != null) {
            ws.close();
        }
    }

    /** The server sent one close frame with {@code code} and closed the connection. */
    private void assertFailed(int code) {
        WsFrames.Frame close = ws.frame();
        assertThat(close.opcode()).isEqualTo(CLOSE);
        assertThat(close.closeCode()).isEqualTo(code);
        assertThat(ws.open()).isFalse();
        assertThat(ws.handler.events).last().asString().startsWith("close:" + code + ":");
        assertThat(ws.stats.webSocket().closes(code)).isEqualTo(1);
        assertThat(ws.stats.connectionsClosed(CloseReason.PROTOCOL_ERROR)).isEqualTo(1);
        assertThat(ws.stats.webSocket().sessionsActive()).isZero();
    }

    @Test
    void echoesAMaskedTextMessage() {
        open().send(WsFrames.text("hello"));
        WsFrames.Frame reply = ws.frame();
        assertThat(reply.opcode()).isEqualTo(TEXT);
        assertThat(reply.fin()).isTrue();
        assertThat(reply.masked()).isFalse();
        assertThat(reply.text()).isEqualTo("hello");
        assertThat(ws.handler.events).containsExactly("open", "text:hello:true");
        assertThat(ws.stats.webSocket().messagesReceived()).isEqualTo(1);
        assertThat(ws.stats.webSocket().messagesSent()).isEqualTo(1);
        assertThat(ws.stats.webSocket().bytesReceived()).isEqualTo(5);
        assertThat(ws.stats.webSocket().sessionsActive()).isEqualTo(1);
    }

    @Test
    void unmaskedClientFrameCloses1002() {
        open().send(frame(true, 0, TEXT, false, utf8("hi")));
        assertFailed(1002);
        assertThat(ws.handler.events).doesNotContain("text:hi:true");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 7})
    void reservedBitsWithoutAnExtensionClose1002(int rsv) {
        open().send(frame(true, rsv, TEXT, true, utf8("hi")));
        assertFailed(1002);
    }

    @Test
    void fragmentedControlFrameCloses1002() {
        open().send(frame(false, PING, utf8("p")));
        assertFailed(1002);
    }

    @Test
    void controlFrameOver125BytesCloses1002() {
        byte[] big = new byte[126];
        open().send(frame(true, PING, big));
        assertFailed(1002);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x7, 0xB, 0xF})
    void reservedOpcodeCloses1002(int opcode) {
        open().send(frame(true, opcode, utf8("x")));
        assertFailed(1002);
    }

    @Test
    void invalidUtf8Closes1007() {
        open().send(frame(true, TEXT, new byte[] {'a', (byte) 0xc3, 0x28}));
        assertFailed(1007);
    }

    @Test
    void invalidUtf8InALaterFragmentCloses1007() {
        open().send(frame(false, TEXT, utf8("ok")), frame(true, CONTINUATION, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
        assertFailed(1007);
    }

    @Test
    void textEndingInsideACharacterCloses1007() {
        open().send(frame(true, TEXT, new byte[] {'a', (byte) 0xe2, (byte) 0x82}));
        assertFailed(1007);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void badCloseCodeCloses1002(int code) {
        open().send(WsFrames.close(code, ""));
        assertFailed(1002);
    }

    @Test
    void closeFrameWithOneBytePayloadCloses1002() {
        open().send(frame(true, CLOSE, new byte[] {0x03}));
        assertFailed(1002);
    }

    @Test
    void closeReasonThatIsNotUtf8Closes1007() {
        open().send(frame(true, CLOSE, new byte[] {0x03, (byte) 0xe8, (byte) 0xff}));
        WsFrames.Frame close = ws.frame();
        assertThat(close.closeCode()).isEqualTo(1007);
        assertThat(ws.open()).isFalse();
    }

    @Test
    void newDataFrameInsideAFragmentedMessageCloses1002() {
        open().send(frame(false, TEXT, utf8("one")), frame(true, TEXT, utf8("two")));
        assertFailed(1002);
        assertThat(ws.handler.events).containsExactly("open", "close:1002:Protocol error");
    }

    @Test
    void binaryFrameInsideAFragmentedTextMessageCloses1002() {
        open().send(frame(false, TEXT, utf8("one")), frame(true, BINARY, utf8("two")));
        assertFailed(1002);
    }

    @Test
    void continuationWithoutAMessageCloses1002() {
        open().send(frame(true, CONTINUATION, utf8("x")));
        assertFailed(1002);
    }

    @Test
    void pingInsideAFragmentedMessageIsAnsweredAndTheMessageCompletes() {
        open().send(frame(false, TEXT, utf8("Hel")), frame(true, PING, utf8("p")),
                frame(true, CONTINUATION, utf8("lo")));
        var frames = ws.frames();
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).opcode()).isEqualTo(PONG);
        assertThat(frames.get(0).text()).isEqualTo("p");
        assertThat(frames.get(1).text()).isEqualTo("Hello");
        assertThat(ws.handler.events).containsExactly("open", "ping:p", "text:Hello:true");
        assertThat(ws.open()).isTrue();
    }

    @Test
    void pongIsHandedToTheApplication() {
        open().send(frame(true, PONG, utf8("beat")));
        assertThat(ws.frames()).isEmpty();
        assertThat(ws.handler.events).containsExactly("open", "pong:beat");
    }

    @Test
    void withoutAutoPongThePingGoesToTheApplicationOnly() {
        open(WebSocketConfig.builder().autoPong(false).build()).send(frame(true, PING, utf8("p")));
        assertThat(ws.frames()).isEmpty();
        assertThat(ws.handler.events).containsExactly("open", "ping:p");
    }

    @Test
    void fragmentedMessageIsReassembled() {
        open().send(frame(false, BINARY, new byte[3]), frame(false, CONTINUATION, new byte[4]),
                frame(true, CONTINUATION, new byte[5]));
        assertThat(ws.handler.events).containsExactly("open", "binary:12:true");
    }

    @Test
    void emptyTextMessageIsDelivered() {
        open().send(frame(true, TEXT, new byte[0]));
        assertThat(ws.handler.events).containsExactly("open", "text::true");
    }

    @Test
    void messageOverTheLimitAfterReassemblyCloses1009() {
        open(WebSocketConfig.builder().maxTextMessageSize(100).build());
        byte[] sixty = new byte[60];
        Arrays.fill(sixty, (byte) 'a');
        ws.send(frame(false, TEXT, sixty), frame(true, CONTINUATION, sixty));
        assertFailed(1009);
        assertThat(ws.handler.events).containsExactly("open", "close:1009:message too big");
    }

    @Test
    void binaryMessageOverItsLimitCloses1009() {
        open(WebSocketConfig.builder().maxBinaryMessageSize(10).build()).send(frame(true, BINARY, new byte[11]));
        assertFailed(1009);
    }

    @Test
    void frameOverTheFramePayloadLimitCloses1009() {
        open(WebSocketConfig.builder().maxFramePayload(1000).build()).send(frame(true, BINARY, new byte[1001]));
        assertFailed(1009);
    }

    @Test
    void messageAtTheLimitIsDelivered() {
        open(WebSocketConfig.builder().maxBinaryMessageSize(100).build())
                .send(frame(false, BINARY, new byte[50]), frame(true, CONTINUATION, new byte[50]));
        assertThat(ws.handler.events).containsExactly("open", "binary:100:true");
        assertThat(ws.open()).isTrue();
    }
}
