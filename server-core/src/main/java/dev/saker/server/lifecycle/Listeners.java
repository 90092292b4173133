package dev.saker.server.lifecycle;

import dev.saker.server.connection.ConnectionInitializer;
import dev.saker.server.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.BindException;
import java.net.InetSocketAddress;

/** Binds listening sockets: one owned by a single event loop (SO_REUSEPORT), or one shared acceptor. */
final class Listeners {

    private final ServerConfig config;
    private final Transport transport;
    private final ConnectionInitializer connections;
    private final AcceptGate gate;

    Listeners(ServerConfig config, Transport transport, ConnectionInitializer connections, AcceptGate gate) {
        this.config = config;
        this.transport = transport;
        this.connections = connections;
        this.gate = gate;
    }

    /** A listener whose accepted connections all live on {@code loop}. */
    Channel bindOwn(EventLoop loop, InetSocketAddress address) {
        ServerBootstrap bootstrap = base(loop, loop)
                .option(transport.reusePortOption(), true);
        return bind(bootstrap, address);
    }

    /** One listener whose connections are spread over every loop of {@code group}. */
    Channel bindShared(EventLoopGroup group, InetSocketAddress address) {
        ServerBootstrap bootstrap = base(group, group);
        return bind(bootstrap, address);
    }

    private ServerBootstrap base(EventLoopGroup parent, EventLoopGroup child) {
        return new ServerBootstrap()
                .group(parent, child)
                .channel(transport.serverChannel())
                .handler(gate)
                .childHandler(connections)
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
