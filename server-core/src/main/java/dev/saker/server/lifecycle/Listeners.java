package dev.saker.server.lifecycle;

import dev.saker.server.http1.Http1Connection;
import dev.saker.server.http1.Http1Runtime;
import dev.saker.server.http1.LoopContext;
import dev.saker.server.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.BindException;
import java.net.InetSocketAddress;

/** Binds listening sockets: one owned by a single event loop (SO_REUSEPORT), or one shared acceptor. */
final class Listeners {

    private final ServerConfig config;
    private final Transport transport;
    private final Http1Runtime runtime;
    private final AcceptGate gate;

    Listeners(ServerConfig config, Transport transport, Http1Runtime runtime, AcceptGate gate) {
        this.config = config;
        this.transport = transport;
        this.runtime = runtime;
        this.gate = gate;
    }

    /** A listener whose accepted connections all live on {@code loop}. */
    Channel bindOwn(EventLoop loop, InetSocketAddress address) {
        LoopContext context = runtime.loop(loop);
        ServerBootstrap bootstrap = base(loop, loop)
                .option(transport.reusePortOption(), true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Http1Connection(runtime, context));
                    }
                });
        return bind(bootstrap, address);
    }

    /** One listener whose connections are spread over every loop of {@code group}. */
    Channel bindShared(EventLoopGroup group, InetSocketAddress address) {
        ServerBootstrap bootstrap = base(group, group)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new Http1Connection(runtime, runtime.loop(ch.eventLoop())));
                    }
                });
        return bind(bootstrap, address);
    }

    private ServerBootstrap base(EventLoopGroup parent, EventLoopGroup child) {
        return new ServerBootstrap()
                .group(parent, child)
                .channel(transport.serverChannel())
                .handler(gate)
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    private Channel bind(ServerBootstrap bootstrap, InetSocketAddress address) {
        ChannelFuture future = bootstrap.bind(address).awaitUninterruptibly();
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            String why = cause == null ? "unknown" : cause.getMessage();
            Throwable bindCause = cause instanceof BindException || (why != null && why.contains("in use"))
                    ? asBindException(cause) : cause;
            throw new ServerStartException("cannot bind " + address.getHostString() + ":" + address.getPort()
                    + ": " + why, address, bindCause);
        }
        gate.add(future.channel());
        return future.channel();
    }

    private static BindException asBindException(Throwable cause) {
        if (cause instanceof BindException) {
            return (BindException) cause;
        }
        BindException bind = new BindException(cause.getMessage());
        bind.initCause(cause);
        return bind;
    }
}
