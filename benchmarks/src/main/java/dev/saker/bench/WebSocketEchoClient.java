package dev.saker.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The load client of bench.sh's {@code ws} scenario: {@code connections} WebSocket connections to
 * one echo endpoint on loopback, each keeping {@code depth} small text messages in flight for
 * {@code seconds}; every echo is compared with what was sent. One epoll event loop (bench.sh pins
 * the process to the load CPU, as it does wrk). No permessage-deflate is offered, so every server
 * frames the same bytes.
 *
 * <p>Usage: {@code WebSocketEchoClient port path connections depth seconds [payloadBytes]}. Prints
 * {@code key value} lines: {@code connections}, {@code messages} (echoes received, drain included),
 * {@code timed_messages} and {@code messages_per_s} (in the timed window), {@code p50_us},
 * {@code p99_us}, {@code max_us} (send to echo), {@code errors} (connections that failed or closed
 * early, wrong echoes, messages never answered). Exits 1 when no connection could be opened.
 * Bounded: connecting at most 10 s, sending {@code seconds}, draining at most 5 s.
 */
public final class WebSocketEchoClient {

    private static final long CONNECT_TIMEOUT_MS = 10_000;
    private static final long DRAIN_TIMEOUT_MS = 5_000;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int depth;
    private final int payload;
    private final Latencies latencies = new Latencies();
    private final List<Connection> connections = new ArrayList<>();
    private final CountDownLatch opened;
    private final CountDownLatch finished;
    /** Set on the event loop: from then on no new message is sent. */
    private boolean stopping;
    private boolean timing;
    private long messages;
    private long timedMessages;
    private long errors;
    /** Connections failed so far: only the first few are printed. */
    private int failures;

    private WebSocketEchoClient(int connections, int depth, int payload) {
        this.depth = depth;
        this.payload = payload;
        this.opened = new CountDownLatch(connections);
        this.finished = new CountDownLatch(connections);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: WebSocketEchoClient port path connections depth seconds [payloadBytes]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        int conns = Integer.parseInt(args[2]);
        int depth = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int payload = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        if (conns < 1 || conns > 10_000 || depth < 1 || depth > 1024 || seconds < 1 || seconds > 600
                || payload < 16 || payload > 65_536) {
            System.err.println("out of range: connections 1-10000, depth 1-1024, seconds 1-600, payload 16-65536");
            System.exit(2);
        }
        System.exit(new WebSocketEchoClient(conns, depth, payload).run(port, path, conns, seconds));
    }

    private int run(int port, String path, int conns, int seconds) throws InterruptedException, ExecutionException {
        URI uri = URI.create("ws://127.0.0.1:" + port + path);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT_MS);
            for (int i = 0; i < conns; i++) {
                Connection connection = new Connection(i, WebSocketClientHandshakerFactory.newHandshaker(uri,
                        WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), Math.max(65_536, payload)));
                connections.add(connection);
                bootstrap.clone().handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), connection);
                    }
                }).connect("127.0.0.1", port).addListener(f -> {
                    if (!f.isSuccess()) {
                        connection.fail("connect: " + f.cause());
                    }
                });
            }
            if (!opened.await(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                group.submit(() -> connections.forEach(c -> c.fail("not open within " + CONNECT_TIMEOUT_MS + " ms")))
                        .sync();
            }
            long open = group.submit(() -> connections.stream().filter(c -> c.open).count()).get();
            if (open == 0) {
                System.err.println("no connection opened");
                return 1;
            }
            long start = System.nanoTime();
            group.submit(() -> {
                timing = true;
                connections.forEach(Connection::start);
            }).sync();
            Thread.sleep(seconds * 1000L);
            long[] counted = group.submit(() -> {
                timing = false;
                stopping = true;
                connections.forEach(Connection::drainOrClose);
                return new long[] {timedMessages, System.nanoTime()};
            }).get();
            if (!finished.await(DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                group.submit(() -> connections.forEach(c -> c.fail("not drained within " + DRAIN_TIMEOUT_MS + " ms")))
                        .sync();
            }
            double elapsed = (counted[1] - start) / 1e9;
            // The figures live on the event loop: read them there.
            String out = group.submit(() -> {
                StringBuilder text = new StringBuilder();
                line(text, "connections", Long.toString(open));
                line(text, "depth", Integer.toString(depth));
                line(text, "payload_bytes", Integer.toString(payload));
                line(text, "seconds", String.format(Locale.ROOT, "%.3f", elapsed));
                line(text, "messages", Long.toString(messages));
                line(text, "timed_messages", Long.toString(counted[0]));
                line(text, "messages_per_s", String.format(Locale.ROOT, "%.1f", counted[0] / elapsed));
                line(text, "p50_us", Long.toString(latencies.percentile(0.50)));
                line(text, "p99_us", Long.toString(latencies.percentile(0.99)));
                line(text, "max_us", Long.toString(latencies.max()));
                line(text, "errors", Long.toString(errors));
                return text.toString();
            }).get();
            System.out.print(out);
            return 0;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append(' ').append(value).append('\n');
    }

    /** The payload of message {@code seq} of connection {@code id}: hex digits, then padding. */
    private void encode(ByteBuf buf, int id, long seq) {
        long v = ((long) id << 44) ^ seq;
        for (int shift = 60; shift >= 0; shift -= 4) {
            buf.writeByte(HEX[(int) (v >>> shift) & 0xf]);
        }
        for (int i = 16; i < payload; i++) {
            buf.writeByte('x');
        }
    }

    private boolean matches(ByteBuf buf, int id, long seq) {
        if (buf.readableBytes() != payload) {
            return false;
        }
        int at = buf.readerIndex();
        long v = ((long) id << 44) ^ seq;
        for (int shift = 60, i = 0; shift >= 0; shift -= 4, i++) {
            if (buf.getByte(at + i) != HEX[(int) (v >>> shift) & 0xf]) {
                return false;
            }
        }
        for (int i = 16; i < payload; i++) {
            if (buf.getByte(at + i) != 'x') {
                return false;
            }
        }
        return true;
    }

    /** One WebSocket connection; every method runs on the single event loop. */
    private final class Connection extends SimpleChannelInboundHandler<Object> {
        private final int id;
        private final WebSocketClientHandshaker handshaker;
        /** Send times of the messages in flight, oldest first (a ring of {@code depth}). */
        private final long[] sentAt = new long[depth];
        private Channel channel;
        private boolean open;
        private boolean done;
        private long sent;
        private long received;

        Connection(int id, WebSocketClientHandshaker handshaker) {
            this.id = id;
            this.handshaker = handshaker;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            handshaker.handshake(channel);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!handshaker.isHandshakeComplete()) {
                try {
                    handshaker.finishHandshake(channel, (FullHttpResponse) msg);
                    open = true;
                    opened.countDown();
                } catch (RuntimeException e) {
                    fail("handshake: " + e.getMessage());
                }
                return;
            }
            if (!(msg instanceof WebSocketFrame frame)) {
                fail("unexpected " + msg);
                return;
            }
            if (frame instanceof CloseWebSocketFrame) {
                if (!done) {
                    fail("closed by the server: " + ((CloseWebSocketFrame) frame).statusCode());
                }
                return;
            }
            if (!(frame instanceof TextWebSocketFrame) || !frame.isFinalFragment()) {
                fail("unexpected frame " + frame);
                return;
            }
            if (received == sent || !matches(frame.content(), id, received)) {
                errors++;
                fail("wrong echo " + ByteBufUtil.hexDump(frame.content()) + " for message " + received);
                return;
            }
            latencies.record((System.nanoTime() - sentAt[(int) (received % depth)]) / 1000);
            received++;
            messages++;
            if (timing) {
                timedMessages++;
            }
            if (!stopping) {
                send(false);
            } else if (received == sent) {
                finish();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!done) {
                fail("connection closed");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause.toString());
        }

        void start() {
            if (!open) {
                return;
            }
            for (int i = 0; i < depth; i++) {
                send(false);
            }
            channel.flush();
        }

        void drainOrClose() {
            if (open && !done && received == sent) {
                finish();
            }
        }

        private void send(boolean flush) {
            ByteBuf buf = channel.alloc().buffer(payload);
            encode(buf, id, sent);
            sentAt[(int) (sent % depth)] = System.nanoTime();
            sent++;
            TextWebSocketFrame frame = new TextWebSocketFrame(buf);
            if (flush) {
                channel.writeAndFlush(frame, channel.voidPromise());
            } else {
                channel.write(frame, channel.voidPromise());
            }
        }

        private void finish() {
            done = true;
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "done"))
                    .addListener(f -> channel.close());
            finished.countDown();
        }

        void fail(String why) {
            if (done) {
                return;
            }
            done = true;
            errors += 1 + Math.max(0, sent - received);
            if (++failures <= 5) {
                System.err.println("connection " + id + ": " + why);
            }
            if (channel != null) {
                channel.close();
            }
            if (!open) {
                opened.countDown();
            }
            finished.countDown();
        }
    }

    /** Microsecond histogram: exact up to 1 s, the rest counted as 1 s. Event loop only. */
    private static final class Latencies {
        private final long[] counts = new long[1_000_001];
        private long total;
        private long max;

        void record(long micros) {
            long v = Math.max(0, micros);
            max = Math.max(max, v);
            counts[(int) Math.min(v, counts.length - 1)]++;
            total++;
        }

        long percentile(double p) {
            long rank = (long) Math.ceil(total * p);
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank && seen > 0) {
                    return i;
                }
            }
            return 0;
        }

        long max() {
            return max;
        }
    }
}
