package dev.saker.server.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCounted;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Puts frames on the channel from its event loop: a write made while a read batch is being
 * handled waits for the batch's single flush (an echo costs one syscall per batch, not per
 * message); any other write is flushed at once. Also hands tasks from other threads to the loop.
 */
final class FrameWriter {

    private final Channel channel;
    private boolean inReadBatch;
    private boolean needsFlush;

    FrameWriter(Channel channel) {
        this.channel = channel;
    }

    /** Writes {@code frame} (loop only) and completes {@code result}, if any, when it is written. */
    ChannelFuture write(WebSocketFrame frame, CompletableFuture<Void> result) {
        ChannelFuture future;
        if (inReadBatch) {
            future = channel.write(frame);
            needsFlush = true;
        } else {
            future = channel.writeAndFlush(frame);
        }
        if (result != null) {
            future.addListener(f -> {
                if (f.isSuccess()) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(f.cause());
                }
            });
        }
        return future;
    }

    void readBatchStarted() {
        inReadBatch = true;
    }

    void readBatchEnded() {
        inReadBatch = false;
        if (needsFlush) {
            needsFlush = false;
            channel.flush();
        }
    }

    boolean onLoop() {
        return channel.eventLoop().inEventLoop();
    }

    /**
     * Runs {@code task} on the loop (now when called there). When the loop is gone, releases
     * {@code owned} and fails {@code result}.
     */
    void onLoop(Runnable task, ReferenceCounted owned, CompletableFuture<Void> result) {
        if (!runOrQueue(task)) {
            owned.release();
            result.completeExceptionally(new ClosedChannelException());
        }
    }

    /** Runs {@code task} on the loop; nothing when the loop is gone (the channel went with it). */
    void onLoop(Runnable task) {
        runOrQueue(task);
    }

    /** @return false when the loop is gone and {@code task} will never run */
    private boolean runOrQueue(Runnable task) {
        if (onLoop()) {
            task.run();
            return true;
        }
        try {
            channel.eventLoop().execute(task);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }
}
