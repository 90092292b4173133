package dev.saker.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener told to ignore new connections drops their SYN (the client's connect does not
 * complete) while a connection already in its backlog is still accepted, request and all; once
 * closed, the listener refuses. Real loopback sockets on the epoll transport.
 */
class EpollSynFilterTest {

    private EventLoopGroup group;
    private Channel listener;
    private final List<Channel> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void bind() {
        assumeTrue(Epoll.isAvailable(), "epoll");
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        // Auto-read off: connections stay in the kernel backlog until the test takes them.
        listener = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.add(ctx.channel());
                        ctx.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer("accepted\n", StandardCharsets.US_ASCII));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    @AfterEach
    void close() {
        if (group != null) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void newConnectionsAreIgnoredWhileTheBacklogIsKeptThenRefusedOnceClosed() throws Exception {
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        try (Socket queued = new Socket()) {
            queued.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            queued.getOutputStream().write("POST /order HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(EpollSynFilter.refuseNewConnections(listener)).isTrue();

            try (Socket late = new Socket()) {
                // Its SYN is dropped: the connect cannot complete (a client would retry in a second).
                assertThatThrownBy(() -> late.connect(new InetSocketAddress("127.0.0.1", port), 300))
                        .isInstanceOf(SocketTimeoutException.class);
            }

            int taken = listener.eventLoop().submit(() -> EpollBacklog.acceptAll(listener)).get();
            assertThat(taken).as("the connection queued before the filter").isEqualTo(1);
            queued.setSoTimeout(5_000);
            InputStream in = queued.getInputStream();
            byte[] line = new byte[9];
            int n = 0;
            while (n < line.length) {
                int r = in.read(line, n, line.length - n);
                assertThat(r).isPositive();
                n += r;
            }
            assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo("accepted\n");
        }
        listener.close().syncUninterruptibly();
        try (Socket after = new Socket()) {
            assertThatThrownBy(() -> after.connect(new InetSocketAddress("127.0.0.1", port), 2_000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void otherChannelsAreLeftAlone() {
        assertThat(EpollSynFilter.refuseNewConnections(accepted.isEmpty() ? new io.netty.channel.embedded.EmbeddedChannel()
                : accepted.get(0))).isFalse();
    }
}
