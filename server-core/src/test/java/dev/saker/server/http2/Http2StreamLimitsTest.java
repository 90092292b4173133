package dev.saker.server.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bounds of one HTTP/2 stream: the request body size counted on the bytes received, Netty's
 * content-length check, and the deadlines of non-blocking body reads and writers.
 */
class Http2StreamLimitsTest {

    private static final long NO_ERROR = 0x0;
    private static final int PROTOCOL_ERROR = 0x1;
    private static final long CANCEL = 0x8;

    private SakerServer server;
    private final CompletableFuture<IOException> handlerFailure = new CompletableFuture<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(UnaryOperator<ServerConfig.Builder> settings, HttpHandler handler) {
        server = SakerServer.create(settings.apply(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).http2(true))
                .build(), handler).start();
    }

    /** Reads the whole body; a failure is recorded and escapes (the engine answers it). */
    private final HttpHandler readAll = ex -> {
        try {
            byte[] body = ex.requestBody().asInputStream().readAllBytes();
            ex.send("read " + body.length);
        } catch (IOException e) {
            handlerFailure.complete(e);
            throw e;
        }
    };

    /** What the client sees on one stream, in order: "headers STATUS end", "data N", "reset CODE". */
    private static final class Events extends ChannelInboundHandlerAdapter {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame headers) {
                    seen.add("headers " + headers.headers().status() + " " + headers.isEndStream());
                } else if (msg instanceof Http2DataFrame data) {
                    seen.add("data " + data.content().readableBytes() + " " + data.isEndStream());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame reset) {
                seen.add("reset " + reset.errorCode());
            }
        }

        String next() throws InterruptedException {
            String event = seen.poll(10, TimeUnit.SECONDS);
            assertThat(event).as("an event within 10 s").isNotNull();
            return event;
        }

        /** Skips DATA events, returns the next other one. */
        String nextBesidesData() throws InterruptedException {
            String event;
            while ((event = next()).startsWith("data ")) {
                // the body sent before the reset is not of interest
            }
            return event;
        }
    }

    private static Http2Headers post(String... fields) {
        Http2Headers head = new DefaultHttp2Headers().method("POST").path("/").scheme("http").authority("localhost");
        for (int i = 0; i < fields.length; i += 2) {
            head.add(fields[i], fields[i + 1]);
        }
        return head;
    }

    private static void send(Http2StreamChannel stream, Http2Headers head, int... dataFrames) {
        stream.write(new DefaultHttp2HeadersFrame(head, false));
        for (int size : dataFrames) {
            stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[size]), false));
        }
        stream.flush();
    }

    @Test
    void bodyWithoutLengthPastTheLimitIs413ThenTheStreamIsReset() throws Exception {
        start(b -> b.maxRequestBodySize(1000), readAll);
        try (H2Client client = new H2Client(server.port(), null)) {
            Events events = new Events();
            send(client.open(events), post(), 600, 600);
            assertThat(events.next()).isEqualTo("headers 413 true");
            assertThat(events.next()).as("the rest of the body is not wanted").isEqualTo("reset " + NO_ERROR);
        }
        IOException failure = handlerFailure.get(10, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(BadRequestException.class);
        assertThat(((BadRequestException) failure).status()).isEqualTo(413);
        assertThat(server.stats().parseErrors()).containsEntry("body_too_large", 1L);
    }

    @Test
    void bodyPastTheLimitAfterTheResponseIsCommittedResetsTheStream() throws Exception {
        start(b -> b.maxRequestBodySize(1000), ex -> {
            OutputStream out = ex.responseBody();
            out.write(new byte[100]);
            out.flush();
            readAll.handle(ex);
        });
        try (H2Client client = new H2Client(server.port(), null)) {
            Events events = new Events();
            send(client.open(events), post(), 600, 600);
            assertThat(events.next()).isEqualTo("headers 200 false");
            assertThat(events.nextBesidesData()).isEqualTo("reset " + CANCEL);
        }
        assertThat(handlerFailure.get(10, TimeUnit.SECONDS)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void declaredLengthPastTheLimitIs413ThenTheStreamIsReset() throws Exception {
        start(b -> b.maxRequestBodySize(1000), readAll);
        try (H2Client client = new H2Client(server.port(), null)) {
            Events events = new Events();
            send(client.open(events), post("content-length", "5000"), 600);
            assertThat(events.next()).isEqualTo("headers 413 true");
            assertThat(events.next()).isEqualTo("reset " + NO_ERROR);
        }
        assertThat(handlerFailure).as("no handler ran").isNotDone();
    }

    /** Netty's codec checks DATA against content-length (RFC 9113 section 8.1.1): a stream error. */
    @Test
    void moreDataThanTheDeclaredLengthIsAStreamProtocolError() throws Exception {
        start(b -> b, readAll);
        try (H2Client client = new H2Client(server.port(), null)) {
            Events events = new Events();
            send(client.open(events), post("content-length", "5"), 10);
            assertThat(events.next()).isEqualTo("reset " + PROTOCOL_ERROR);
            // The connection goes on.
            assertThat(client.get("/").text()).isEqualTo("read 0");
        }
        assertThat(handlerFailure.get(10, TimeUnit.SECONDS)).as("the blocked reader is woken").isInstanceOf(IOException.class);
        assertThat(server.stats().http2().resetsSent(PROTOCOL_ERROR)).isEqualTo(1);
    }

    @Test
    void lessDataThanTheDeclaredLengthIsAStreamProtocolError() throws Exception {
        start(b -> b, readAll);
        try (H2Client client = new H2Client(server.port(), null)) {
            Events events = new Events();
            Http2StreamChannel stream = client.open(events);
            stream.write(new DefaultHttp2HeadersFrame(post("content-length", "50"), false));
            stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[10]), true));
            assertThat(events.next()).isEqualTo("reset " + PROTOCOL_ERROR);
        }
        assertThat(handlerFailure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    /** A non-blocking read that waits for data the client never sends ends after bodyReadTimeout. */
    @Test
    void nonBlockingReadEndsAfterTheBodyReadTimeout() throws Exception {
        start(b -> b.dispatchMode(DispatchMode.EVENT_LOOP).bodyReadTimeout(Duration.ofMillis(300)), ex -> {
            ex.async();
            ex.requestBody().read(new BodyConsumer() {
                @Override
                public void onData(ByteBuf data, boolean last) {
                    ex.requestBody().read(this);
                }

                @Override
                public void onError(IOException error) {
                    handlerFailure.complete(error);
                    ex.status(error instanceof BadRequestException bad ? bad.status() : 500).send("stalled");
                }
            });
        });
        try (H2Client client = new H2Client(server.port(), null)) {
            Events events = new Events();
            send(client.open(events), post(), 3);
            assertThat(events.next()).isEqualTo("headers 408 false");
            assertThat(events.next()).isEqualTo("data 7 true");
            assertThat(events.next()).isEqualTo("reset " + NO_ERROR);
        }
        assertThat(handlerFailure.get(10, TimeUnit.SECONDS)).isInstanceOf(BadRequestException.class);
        assertThat(server.stats().timeouts(TimeoutKind.BODY_READ)).isEqualTo(1);
    }

    /**
     * A non-blocking writer waiting for window the client never gives ends after writeTimeout: the
     * stream is reset and the writer's next write fails.
     */
    @Test
    void nonBlockingWriterEndsAfterTheWriteTimeout() throws Exception {
        start(b -> b.dispatchMode(DispatchMode.EVENT_LOOP).writeTimeout(Duration.ofMillis(300)), ex -> {
            ex.async();
            OutputStream out = ex.responseBody();
            ex.onResponseWritable(new Runnable() {
                @Override
                public void run() {
                    try {
                        for (int i = 0; i < 1000 && ex.responseWritable(); i++) {
                            out.write(new byte[8192]);
                            out.flush();
                        }
                        ex.onResponseWritable(this);
                    } catch (IOException e) {
                        handlerFailure.complete(e);
                    }
                }
            });
        });
        int received = 0;
        try (H2FrameClient client = new H2FrameClient(server.port())) {
            client.request(1, H2FrameClient.END_STREAM, "GET", "/").flush();
            H2FrameClient.Frame frame;
            while ((frame = client.read()) != null && frame.type() != H2FrameClient.RST_STREAM) {
                if (frame.type() == H2FrameClient.DATA) {
                    received += frame.payload().length;
                }
            }
            assertThat(frame).as("reset").isNotNull();
            assertThat(frame.errorCode()).isEqualTo((int) CANCEL);
        }
        assertThat(received).as("the client's window, never more").isLessThanOrEqualTo(65_535);
        assertThat(handlerFailure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(server.stats().timeouts(TimeoutKind.WRITE)).isEqualTo(1);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
    }
}
