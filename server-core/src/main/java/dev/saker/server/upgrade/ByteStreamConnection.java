package dev.saker.server.upgrade;

import dev.saker.server.connection.Connection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.http.BodyConsumer;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.observe.TimeoutKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of an upgraded connection and its {@link ByteStream}: input goes through a
 * {@link StreamInbox} (the socket is read only on demand: auto-read off), output passes through,
 * activity and writability are tracked for the loop's sweep, and the close is reported once. State not marked volatile is the
 * loop's; other threads reach it through {@link #onLoop}.
 */
final class ByteStreamConnection extends ChannelInboundHandlerAdapter implements Connection, ByteStream {

    private static final Logger log = LoggerFactory.getLogger(ByteStreamConnection.class);

    private final ServerStats stats;
    private final ServerRuntime runtime;
    private final LoopContext loop;
    private final long idleTimeoutNanos;
    private final long writeTimeoutNanos;
    private final BlockingStreamInput input = new BlockingStreamInput(this);
    private final BlockingStreamOutput output = new BlockingStreamOutput(this);
    /** Set by the caller of {@link #read}, cleared before the delivery: one read pending at most. */
    private final AtomicBoolean reading = new AtomicBoolean();

    private ChannelHandlerContext ctx;
    private int loopSlot = -1;
    private long openedAt;
    private final StreamInbox inbox;
    private IOException failure;
    private boolean closed;
    private CloseReason closeReason;
    private Runnable writableTask;
    private final List<Runnable> closeTasks = new ArrayList<>(2);
    private long unwritableSince;
    private volatile long lastActivity;
    private volatile boolean open = true;

    ByteStreamConnection(ServerRuntime runtime, LoopContext loop, long idleTimeoutNanos, ByteBuf rest) {
        this.runtime = runtime;
        this.stats = runtime.stats();
        this.loop = loop;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.writeTimeoutNanos = runtime.config().writeTimeout().toNanos();
        this.inbox = new StreamInbox(rest, () -> ctx.read(), () -> reading.set(false), this::userFailed);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** On the loop, once in the pipeline: takes the connection over and tells the user. */
    void opened(Consumer<ByteStream> onOpen) {
        long now = System.nanoTime();
        Long acceptedAt = ctx.channel().attr(ACCEPTED_AT).get();
        openedAt = acceptedAt == null ? now : acceptedAt;
        lastActivity = now;
        ctx.channel().config().setAutoRead(false);
        loop.add(this);
        if (!ctx.channel().isActive()) {
            channelInactive(ctx);
            return;
        }
        if (!ctx.channel().isWritable()) {
            unwritableSince = now;
        }
        // A server that began draining before the switch changes nothing here: see drain(long).
        try {
            onOpen.accept(this);
        } catch (RuntimeException e) {
            userFailed(e);
        }
    }

    // ---------------------------------------------------------------- input

    @Override
    public void read(BodyConsumer consumer) {
        Objects.requireNonNull(consumer, "consumer");
        if (!reading.compareAndSet(false, true)) {
            throw new IllegalStateException("a read is already pending");
        }
        onLoop(() -> inbox.await(consumer));
    }

    @Override
    public InputStream inputStream() {
        return input;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        stats.received(in.readableBytes());
        lastActivity = System.nanoTime();
        inbox.received(in, ctx.alloc());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inbox.inputEnded();
        }
        ctx.fireUserEventTriggered(evt);
    }

    // ---------------------------------------------------------------- output

    @Override
    public boolean writable() {
        return open && ctx.channel().isWritable();
    }

    @Override
    public void onWritable(Runnable task) {
        Objects.requireNonNull(task, "task");
        onLoop(() -> {
            if (closed || ctx.channel().isWritable()) {
                runUserTask(task);
            } else {
                writableTask = task;
            }
        });
    }

    @Override
    public void write(ByteBuf data) throws IOException {
        if (!open) {
            data.release();
            throw new IOException("connection closed");
        }
        lastActivity = System.nanoTime();
        stats.sent(data.readableBytes());
        // Any thread: off the loop Netty queues the write and counts it against writability at once.
        ctx.write(data, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public OutputStream outputStream() {
        return output;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            unwritableSince = 0;
            output.wake();
            Runnable task = writableTask;
            writableTask = null;
            if (task != null) {
                runUserTask(task);
            }
        } else if (unwritableSince == 0) {
            unwritableSince = System.nanoTime();
        }
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        onLoop(() -> {
            if (!closed) {
                if (closeReason == null) {
                    closeReason = CloseReason.SERVER;
                }
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void onClose(Runnable task) {
        Objects.requireNonNull(task, "task");
        onLoop(() -> {
            if (closed) {
                runUserTask(task);
            } else {
                closeTasks.add(task);
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("upgraded connection {} broke: {}", ctx.channel(), cause.toString());
        if (failure == null) {
            failure = cause instanceof IOException ? (IOException) cause : new IOException(cause);
        }
        closeNow(CloseReason.RESET);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        closed = true;
        open = false;
        stats.connectionClosed(closeReason == null ? CloseReason.CLIENT : closeReason, System.nanoTime() - openedAt);
        loop.remove(this);
        // The client closing its side cleanly ends the input; a reset or the server's close fails it.
        inbox.connectionClosed(failure == null && closeReason == null, failure);
        input.connectionClosed();
        output.wake();
        Runnable task = writableTask;
        writableTask = null;
        if (task != null) {
            runUserTask(task);
        }
        for (Runnable closeTask : closeTasks) {
            runUserTask(closeTask);
        }
        closeTasks.clear();
    }

    private void closeNow(CloseReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        ctx.close();
    }

    /** A callback of the user threw: the stream cannot be trusted any more. */
    private void userFailed(RuntimeException e) {
        log.debug("upgraded connection {}: callback failed", ctx.channel(), e);
        closeNow(CloseReason.HANDLER_ERROR);
    }

    private void runUserTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            userFailed(e);
        }
    }

    // ---------------------------------------------------------------- loop and deadlines

    @Override
    public boolean inEventLoop() {
        return ctx.executor().inEventLoop();
    }

    /** Runs {@code task} on the loop: now if already there. */
    void onLoop(Runnable task) {
        if (inEventLoop()) {
            task.run();
            return;
        }
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException loopGone) {
            // The server stopped: the channel is closed, the task only learns that.
            task.run();
        }
    }

    @Override
    public void checkTimeouts(long now) {
        if (closed) {
            return;
        }
        if (unwritableSince != 0 && writeTimeoutNanos > 0 && now - unwritableSince > writeTimeoutNanos) {
            stats.timeout(TimeoutKind.WRITE);
            closeNow(CloseReason.WRITE_TIMEOUT);
        } else if (idleTimeoutNanos > 0 && now - lastActivity > idleTimeoutNanos) {
            stats.timeout(TimeoutKind.IDLE);
            closeNow(CloseReason.IDLE_TIMEOUT);
        }
    }

    /**
     * The engine cannot ask an unknown protocol to finish, so a draining server leaves the stream to
     * its users until the drain deadline, where {@link #forceClose()} closes it.
     */
    @Override
    public void drain(long now) {
        // Nothing to tell the peer: see above.
    }

    @Override
    public void forceClose() {
        if (!closed) {
            closeNow(CloseReason.SHUTDOWN);
        }
    }

    @Override
    public int loopSlot() {
        return loopSlot;
    }

    @Override
    public void loopSlot(int slot) {
        loopSlot = slot;
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) ctx.channel().remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) ctx.channel().localAddress();
    }

    /** @return whether the channel can take output now (for the blocking output stream) */
    boolean channelWritable() {
        return ctx.channel().isWritable();
    }
}
