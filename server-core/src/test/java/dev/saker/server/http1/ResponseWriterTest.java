package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The response writer alone, writing to an {@link EmbeddedChannel}: the framing it picks for whole
 * and streamed bodies, the declared length it enforces, the interim and rejection answers, and the
 * flush it owes.
 */
class ResponseWriterTest {

    private EmbeddedChannel channel;
    private Http1Runtime rt;
    private LoopContext loop;
    private KeepAlivePolicy policy;
    private ResponseWriter writer;

    @BeforeEach
    void setUp() throws Exception {
        ServerRuntime shared = new ServerRuntime(ServerConfig.builder().build(), new ServerStats(), ex -> { },
                Dispatcher.create(DispatchMode.EVENT_LOOP, 1, 0));
        channel = new EmbeddedChannel(false, false);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
        channel.register();
        loop = shared.addLoop(channel.eventLoop());
        rt = new Http1Runtime(shared);
        policy = new KeepAlivePolicy(rt);
        writer = new ResponseWriter(rt, loop, policy);
        writer.attach(channel.pipeline().firstContext());
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** An exchange for {@code requestHead}, as the connection begins it. */
    private Http1Exchange exchange(String requestHead) throws Exception {
        RequestHead head = new RequestHead();
        ByteBuf buf = Unpooled.copiedBuffer(requestHead, StandardCharsets.ISO_8859_1);
        try {
            assertThat(new HeadParser(8192, 100, false).parse(buf, head)).isTrue();
        } finally {
            buf.release();
        }
        Http1Exchange ex = new Http1Exchange(new Http1Connection(rt, loop, null), head);
        ex.begin();
        writer.begin();
        policy.reset();
        policy.decide(null, head, 1, false, true);
        return ex;
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    /** @return what was flushed to the channel, as Latin-1 text */
    private String flushed() {
        writer.flush();
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return out.toString();
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void aWholeBodyGoesWithItsLengthAndIsHeldUntilTheFlush() throws Exception {
        Http1Exchange ex = exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        ex.responseHeaders.set("Content-Type", "text/plain");
        writer.writeWhole(ex, null, "hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(writer.headWritten()).isTrue();
        assertThat((Object) channel.readOutbound()).as("nothing before the flush").isNull();
        assertThat(channel.outboundMessages()).isEmpty();

        String response = flushed();
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/plain\r\n")
                .contains("Content-Length: 5\r\n").doesNotContain("Connection:");
        assertThat(body(response)).isEqualTo("hello");
        assertThat(writer.takeFlush()).as("flushed already").isFalse();
        assertThat(writer.writeContinue()).as("no 100 Continue after a response").isFalse();
    }

    @Test
    void aHeadResponseDeclaresTheLengthOfTheGetButSendsNoBody() throws Exception {
        Http1Exchange ex = exchange("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
        ex.responseHeaders.set("Content-Length", "42");
        ByteBuf content = text("ignored");
        writer.writeWhole(ex, content, null);
        assertThat(content.refCnt()).isZero();
        String response = flushed();
        assertThat(response).contains("Content-Length: 42\r\n");
        assertThat(body(response)).isEmpty();
    }

    @Test
    void aStreamedBodyWithoutALengthIsChunkedOnHttp11() throws Exception {
        Http1Exchange ex = exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(writer.writeStreamed(ex, text("hello"), false)).isTrue();
        assertThat(writer.writeStreamed(ex, text("world, and more"), false)).isTrue();
        assertThat(writer.writeStreamed(ex, null, true)).isTrue();
        String response = flushed();
        assertThat(response).contains("Transfer-Encoding: chunked\r\n").doesNotContain("Content-Length");
        assertThat(body(response)).isEqualTo("5\r\nhello\r\nf\r\nworld, and more\r\n0\r\n\r\n");
        assertThat(policy.closesAfterResponse()).isFalse();
    }

    @Test
    void aStreamedBodyWithoutALengthOnHttp10EndsWithTheConnection() throws Exception {
        Http1Exchange ex = exchange("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        writer.writeStreamed(ex, text("hello"), true);
        String response = flushed();
        assertThat(response).doesNotContain("Transfer-Encoding").doesNotContain("Content-Length")
                .contains("Connection: close\r\n");
        assertThat(body(response)).isEqualTo("hello");
        assertThat(policy.closeReason()).isEqualTo(CloseReason.SERVER);
    }

    @Test
    void aStreamedBodyPastItsDeclaredLengthIsRefused() throws Exception {
        Http1Exchange ex = exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        ex.responseHeaders.set("Content-Length", "8");
        assertThat(writer.writeStreamed(ex, text("12345"), false)).isTrue();
        ByteBuf tooMuch = text("6789");
        assertThat(writer.writeStreamed(ex, tooMuch, false)).isFalse();
        assertThat(tooMuch.refCnt()).isZero();
        String response = flushed();
        assertThat(response).contains("Content-Length: 8\r\n");
        assertThat(body(response)).isEqualTo("12345");
    }

    @Test
    void aStreamedBodyShorterThanDeclaredClosesTheConnectionAfterIt() throws Exception {
        Http1Exchange ex = exchange("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        ex.responseHeaders.set("Content-Length", "8");
        assertThat(writer.writeStreamed(ex, text("12345"), true)).isTrue();
        assertThat(policy.closeReason()).isEqualTo(CloseReason.HANDLER_ERROR);
        assertThat(body(flushed())).isEqualTo("12345");
    }

    @Test
    void continueGoesOutOnlyBeforeTheResponse() throws Exception {
        Http1Exchange ex = exchange("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
        assertThat(writer.writeContinue()).isTrue();
        assertThat(flushed()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        writer.writeStreamed(ex, null, true);
        assertThat(writer.writeContinue()).isFalse();
        assertThat(flushed()).startsWith("HTTP/1.1 200 OK\r\n");
    }

    @Test
    void aRejectionIsBodilessAndCloses() {
        writer.writeRejection(431);
        assertThat(writer.takeFlush()).as("owed until taken").isTrue();
        assertThat(writer.takeFlush()).isFalse();
        channel.flush();
        String response = flushed();
        assertThat(response).startsWith("HTTP/1.1 431 ").contains("Content-Length: 0\r\n")
                .contains("Connection: close\r\n").endsWith("\r\n\r\n");
    }
}
