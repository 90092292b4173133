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
 * message); a data frame sent from a task ({@link #writeSoon}) is flushed by one task queued
 * behind it, so the messages other threads handed over meanwhile go out in one syscall too; any
 * other write is flushed at once. Also hands tasks from other threads to the loop.
 */
final class FrameWriter {

    private final Channel channel;
    private final Runnable flushTask = this::flushNow;
    private boolean inReadBatch;
    private boolean needsFlush;
    private boolean flushQueued;

    FrameWriter(Channel channel) {
        this.channel = channel;
    }

    /**
     * Writes a data frame (loop only) to be flushed with the read batch, or else by a flush task
     * queued behind the tasks waiting now; completes {@code result} when it is written.
     */
    ChannelFuture writeSoon(WebSocketFrame frame, CompletableFuture<Void> result) {
        if (inReadBatch) {
            return write(frame, result);
        }
        ChannelFuture future = channel.write(frame);
        complete(future, result);
        if (!flushQueued) {
            flushQueued = true;
            try {
                channel.eventLoop().execute(flushTask);
            } catch (RejectedExecutionException stopped) {
                flushNow();
            }
        }
        return future;
    }

    private void flushNow() {
        flushQueued = false;
        channel.flush();
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
        complete(future, result);
        return future;
    }

    private static void complete(ChannelFuture future, CompletableFuture<Void> result) {
        if (result != null) {
            future.addListener(f -> {
                if (f.isSuccess()) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(f.cause());
                }
            });
        }
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
