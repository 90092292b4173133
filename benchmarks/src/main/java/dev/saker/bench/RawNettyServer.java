package dev.saker.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Load peer: the smallest sensible Netty {@code codec-http} server, the ceiling for a Netty-based
 * engine. Epoll, one listener, the same number of event loops as the Saker peer, answers the same
 * bytes (see {@link RawNettyHandler}).
 *
 * <p>Usage: {@code RawNettyServer [port [eventLoops]]} (defaults 8080, 1).
 */
public final class RawNettyServer {

    private RawNettyServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("netty-io", true),
                EpollIoHandler.newFactory());
        try {
            HttpDateCache.start(group.next());
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new RawNettyHandler());
                        }
                    })
                    .bind("127.0.0.1", port).sync().channel();
            System.out.println("raw-netty listening on " + listener.localAddress() + " (epoll, " + threads
                    + " event loop(s))");
            listener.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
