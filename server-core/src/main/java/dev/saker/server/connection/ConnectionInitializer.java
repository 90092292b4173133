package dev.saker.server.connection;

import dev.saker.server.admission.Admission;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * The child handler of every listener: finds the loop context of the accepted channel and hands the
 * channel to the protocol selection. One instance serves all channels of a listener.
 */
@ChannelHandler.Sharable
public final class ConnectionInitializer extends ChannelInitializer<Channel> {

    private final ServerRuntime runtime;
    private final ProtocolSelection selection;

    public ConnectionInitializer(ServerRuntime runtime, ProtocolSelection selection) {
        this.runtime = runtime;
        this.selection = selection;
    }

    @Override
    protected void initChannel(Channel channel) {
        Admission admission = runtime.admission();
        if (admission != null && !admission.admitConnection(channel)) {
            // Over the client's connection limit: closed before any protocol work (see Admission).
            channel.close();
            return;
        }
        selection.select(channel, runtime.loop(channel.eventLoop()));
    }
}
