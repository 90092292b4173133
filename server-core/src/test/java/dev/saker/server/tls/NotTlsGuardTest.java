package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotTlsGuardTest {

    private final AtomicInteger refusals = new AtomicInteger();
    private final EmbeddedChannel channel = new EmbeddedChannel(new NotTlsGuard(refusals::incrementAndGet));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf bytes(int... values) {
        ByteBuf buf = Unpooled.buffer();
        for (int v : values) {
            buf.writeByte(v);
        }
        return buf;
    }

    @Test
    void aTlsHandshakeRecordPassesAndTheGuardLeaves() {
        channel.writeInbound(bytes(0x16, 0x03, 0x01, 0x00, 0x01, 0x01));
        ByteBuf passed = channel.readInbound();
        assertThat(passed.readableBytes()).isEqualTo(6);
        assertThat(passed.getByte(0)).isEqualTo((byte) 0x16);
        passed.release();
        assertThat(channel.pipeline().get(NotTlsGuard.class)).isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(refusals).hasValue(0);
    }

    @Test
    void anEmptyReadDecidesNothing() {
        channel.writeInbound(Unpooled.buffer(0));
        assertThat(channel.pipeline().get(NotTlsGuard.class)).isNotNull();
        channel.writeInbound(bytes(0x16, 0x03));
        ByteBuf passed = channel.readInbound();
        assertThat(passed.readableBytes()).isEqualTo(2);
        passed.release();
    }

    @Test
    void cleartextHttpIsAnsweredWithA400AndClosed() {
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        ByteBuf answer = channel.readOutbound();
        String text = answer.toString(StandardCharsets.US_ASCII);
        answer.release();
        assertThat(text).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("\r\nConnection: close\r\n")
                .endsWith("\r\n\r\nThis port needs TLS: send the request over HTTPS.\n");
        int declared = Integer.parseInt(text.replaceAll("(?s).*Content-Length: (\\d+)\r\n.*", "$1"));
        assertThat(declared).isEqualTo(text.length() - text.indexOf("\r\n\r\n") - 4);
        assertThat(channel.isOpen()).isFalse();
        assertThat(refusals).hasValue(1);
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void otherBytesAreClosedWithoutAnAnswer() {
        channel.writeInbound(bytes(0x00, 0x01, 0x02));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(refusals).hasValue(1);
    }
}
