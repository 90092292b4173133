package dev.saker.server.websocket;

import static dev.saker.server.testing.WsFrames.BINARY;
import static dev.saker.server.testing.WsFrames.CLOSE;
import static dev.saker.server.testing.WsFrames.CONTINUATION;
import static dev.saker.server.testing.WsFrames.TEXT;
import static dev.saker.server.testing.WsFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.WsFrames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** permessage-deflate: negotiation, both directions, and the bounded inflater. */
class DeflateTest {

    private WsChannel ws;

    private WsChannel open(WebSocketConfig config, String offer) {
        WsChannel.Recorder recorder = new WsChannel.Recorder();
        recorder.echo = true;
        ws = new WsChannel(config, recorder, List.of(offer));
        return ws;
    }

    @AfterEach
    void tearDown() {
        if (ws != null) {
            ws.close();
        }
    }

    private static String chosen(WebSocketConfig config, String... offers) {
        DeflateNegotiation.Chosen chosen = DeflateNegotiation.negotiate(List.of(offers), config);
        return chosen == null ? null : chosen.responseField();
    }

    @Test
    void negotiation() {
        WebSocketConfig config = WebSocketConfig.defaults();
        assertThat(chosen(config, "permessage-deflate")).isEqualTo("permessage-deflate");
        assertThat(chosen(config, "permessage-deflate; client_max_window_bits")).isEqualTo("permessage-deflate");
        assertThat(chosen(config, "permessage-deflate; client_max_window_bits=10"))
                .isEqualTo("permessage-deflate; client_max_window_bits=10");
        assertThat(chosen(config, "permessage-deflate; server_no_context_takeover"))
                .isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(chosen(config, "permessage-deflate; client_no_context_takeover")).isEqualTo("permessage-deflate");
        // The JDK's deflater has one window size: a smaller server window is declined.
        assertThat(chosen(config, "permessage-deflate; server_max_window_bits=10")).isNull();
        assertThat(chosen(config, "permessage-deflate; server_max_window_bits=10, permessage-deflate"))
                .isEqualTo("permessage-deflate");
        assertThat(chosen(config, "permessage-deflate; unknown_parameter")).isNull();
        assertThat(chosen(config, "x-webkit-deflate-frame")).isNull();
        assertThat(chosen(config, "x-webkit-deflate-frame", "permessage-deflate")).isEqualTo("permessage-deflate");
        assertThat(chosen(WebSocketConfig.builder().deflate(false).build(), "permessage-deflate")).isNull();
        WebSocketConfig noContext = WebSocketConfig.builder().deflateClientNoContextTakeover(true).build();
        assertThat(chosen(noContext, "permessage-deflate; client_no_context_takeover"))
                .isEqualTo("permessage-deflate; client_no_context_takeover");
        assertThat(chosen(noContext, "permessage-deflate")).isEqualTo("permessage-deflate");
    }

    @Test
    void compressedMessagesBothWays() throws Exception {
        open(WebSocketConfig.defaults(), "permessage-deflate");
        String text = "compress me ".repeat(50);
        ws.send(frame(true, 4, TEXT, true, WsFrames.deflate(text.getBytes(StandardCharsets.UTF_8))));
        assertThat(ws.handler.events).containsExactly("open", "text:" + text + ":true");
        WsFrames.Frame reply = ws.frame();
        assertThat(reply.rsv()).isEqualTo(4);
        assertThat(inflate(reply.payload())).isEqualTo(text);
        assertThat(reply.payload().length).isLessThan(text.length());
        assertThat(ws.stats.webSocket().bytesReceived()).isEqualTo(text.length());
    }

    @Test
    void fragmentedCompressedMessage() {
        open(WebSocketConfig.defaults(), "permessage-deflate");
        byte[] compressed = WsFrames.deflate("split across frames".getBytes(StandardCharsets.UTF_8));
        int half = compressed.length / 2;
        ws.send(frame(false, 4, TEXT, true, Arrays.copyOf(compressed, half)),
                frame(true, 0, CONTINUATION, true, Arrays.copyOfRange(compressed, half, compressed.length)));
        assertThat(ws.handler.events).containsExactly("open", "text:split across frames:true");
    }

    @Test
    void uncompressedMessageOnACompressingSession() {
        open(WebSocketConfig.defaults(), "permessage-deflate").send(WsFrames.text("plain"));
        assertThat(ws.handler.events).containsExactly("open", "text:plain:true");
    }

    @Test
    void deflateBombCloses1009WithoutInflatingIt() {
        // 4 MiB of zeros compress to about 4 KiB: one small frame that must not become 4 MiB.
        byte[] bomb = WsFrames.deflate(new byte[4 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(16 * 1024);
        open(WebSocketConfig.defaults(), "permessage-deflate").send(frame(true, 4, BINARY, true, bomb));
        WsFrames.Frame close = ws.frame();
        assertThat(close.opcode()).isEqualTo(CLOSE);
        assertThat(close.closeCode()).isEqualTo(1009);
        assertThat(ws.open()).isFalse();
        assertThat(ws.handler.events).containsExactly("open", "close:1009:message too big");
        assertThat(ws.stats.connectionsClosed(CloseReason.PROTOCOL_ERROR)).isEqualTo(1);
    }

    @Test
    void compressedTextPastTheTextLimitCloses1009() {
        WebSocketConfig config = WebSocketConfig.builder().maxTextMessageSize(1000).maxBinaryMessageSize(100_000).build();
        byte[] text = new byte[5000];
        Arrays.fill(text, (byte) 'a');
        open(config, "permessage-deflate").send(frame(true, 4, TEXT, true, WsFrames.deflate(text)));
        assertThat(ws.frame().closeCode()).isEqualTo(1009);
        assertThat(ws.open()).isFalse();
    }

    @Test
    void corruptCompressedDataCloses1007() {
        open(WebSocketConfig.defaults(), "permessage-deflate")
                .send(frame(true, 4, BINARY, true, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02}));
        assertThat(ws.frame().closeCode()).isEqualTo(1007);
        assertThat(ws.open()).isFalse();
    }

    @Test
    void reservedBitsOtherThanRsv1Close1002EvenWithDeflate() {
        open(WebSocketConfig.defaults(), "permessage-deflate").send(frame(true, 2, TEXT, true, new byte[] {'a'}));
        assertThat(ws.frame().closeCode()).isEqualTo(1002);
        assertThat(ws.open()).isFalse();
    }

    @Test
    void framesHeldWhilePausedAreInflatedOnlyOnResume() {
        WsChannel.Recorder pausing = new WsChannel.Recorder() {
            @Override
            public void onText(WebSocketSession session, String text, boolean last) {
                super.onText(session, text, last);
                session.pauseReading();
            }
        };
        ws = new WsChannel(WebSocketConfig.defaults(), pausing, List.of("permessage-deflate"));
        byte[] one = frame(true, 4, TEXT, true, WsFrames.deflate("one".getBytes(StandardCharsets.UTF_8)));
        byte[] bomb = frame(true, 4, BINARY, true, WsFrames.deflate(new byte[1024 * 1024]));
        ws.send(one, bomb);
        assertThat(ws.handler.events).containsExactly("open", "text:one:true");
        assertThat(ws.frames()).isEmpty();
        // The held frame is still compressed: inflating it on resume hits the bound.
        ws.handler.session.resumeReading();
        assertThat(ws.frame().closeCode()).isEqualTo(1009);
        assertThat(ws.open()).isFalse();
    }

    private static String inflate(byte[] payload) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(WsFrames.concat(payload, new byte[] {0, 0, (byte) 0xff, (byte) 0xff}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
        inflater.end();
        return out.toString(StandardCharsets.UTF_8);
    }
}
