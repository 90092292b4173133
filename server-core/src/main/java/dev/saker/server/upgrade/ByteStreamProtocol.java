package dev.saker.server.upgrade;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.connection.UpgradedProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The raw byte stream an HTTP/1.1 connection becomes with
 * {@link dev.saker.server.http.HttpExchange#upgrade}: its user gets a {@link ByteStream} on the
 * event loop once the {@code 101} is out, with the bytes the client sent after the request as the
 * first input.
 */
public final class ByteStreamProtocol implements UpgradedProtocol {

    private final Consumer<ByteStream> onOpen;
    private final long idleTimeoutNanos;

    /**
     * @param onOpen called on the event loop with the stream once installed; must not block. Not
     *     called when the connection closed before the switch.
     * @param idleTimeout how long the connection may carry no byte either way before the engine
     *     closes it; zero for no limit (the write timeout and shutdown still apply)
     */
    public ByteStreamProtocol(Consumer<ByteStream> onOpen, Duration idleTimeout) {
        this.onOpen = Objects.requireNonNull(onOpen, "onOpen");
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idle timeout must not be negative: " + idleTimeout);
        }
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    @Override
    public void install(Channel channel, ServerRuntime runtime, LoopContext loop, ByteBuf rest) {
        ByteStreamConnection connection = new ByteStreamConnection(runtime, loop, idleTimeoutNanos, rest);
        channel.pipeline().addLast("saker-upgraded", connection);
        connection.opened(onOpen);
    }
}
