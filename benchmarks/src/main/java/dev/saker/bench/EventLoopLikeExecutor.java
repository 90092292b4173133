package dev.saker.bench;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH worker threads that are Netty {@code FastThreadLocalThread}s, like real event loops
 * ({@code -Djmh.executor=CUSTOM -Djmh.executor.class=dev.saker.bench.EventLoopLikeExecutor}). On a
 * plain thread Netty's {@code Recycler} hands out a new object on every get (for example each
 * {@code ChannelOutboundBuffer.Entry} of a write), which would be measured as the engine's allocation.
 */
public final class EventLoopLikeExecutor extends ThreadPoolExecutor {

    /** The constructor JMH's CUSTOM executor type calls. */
    public EventLoopLikeExecutor(int threads, String prefix) {
        super(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("jmh-" + prefix, true));
    }
}
