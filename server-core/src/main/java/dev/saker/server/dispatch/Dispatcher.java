package dev.saker.server.dispatch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs handlers according to a {@link DispatchMode}: inline on the event loop, or on an executor
 * that is created here and owned by the server.
 */
public final class Dispatcher {

    /** How long an idle worker thread waits for work before it ends. */
    private static final Duration WORKER_KEEP_ALIVE = Duration.ofSeconds(60);

    private final DispatchMode mode;
    private final WorkerPool pool;
    private final ExecutorService virtualThreads;
    private final int maxThreads;
    private final AtomicInteger virtualBusy = new AtomicInteger();

    private Dispatcher(DispatchMode mode, WorkerPool pool, ExecutorService virtualThreads, int maxThreads) {
        this.mode = mode;
        this.pool = pool;
        this.virtualThreads = virtualThreads;
        this.maxThreads = maxThreads;
    }

    /**
     * @param workerThreads maximum pool threads ({@link DispatchMode#WORKER_POOL})
     * @param queueCapacity requests that may wait for a thread ({@link DispatchMode#WORKER_POOL})
     * @throws IllegalStateException for {@link DispatchMode#VIRTUAL_THREADS} on a JDK older than 21
     */
    public static Dispatcher create(DispatchMode mode, int workerThreads, int queueCapacity) {
        switch (mode) {
            case EVENT_LOOP:
                return new Dispatcher(mode, null, null, 0);
            case VIRTUAL_THREADS:
                return new Dispatcher(mode, null, virtualThreadExecutor(), Integer.MAX_VALUE);
            default:
                return new Dispatcher(mode, new WorkerPool("saker-worker-", workerThreads, queueCapacity,
                        WORKER_KEEP_ALIVE), null, workerThreads);
        }
    }

    /** Checks that {@code mode} can run on this JVM, failing with a clear message otherwise. */
    public static void checkSupported(DispatchMode mode) {
        if (mode == DispatchMode.VIRTUAL_THREADS) {
            virtualThreadFactoryHandle();
        }
    }

    public DispatchMode mode() {
        return mode;
    }

    /** @return whether handlers run inline on the event loop */
    public boolean inline() {
        return pool == null && virtualThreads == null;
    }

    /**
     * Runs {@code task} off the event loop.
     *
     * @throws RejectedExecutionException when the pool and its queue are full (answer 503)
     */
    public void execute(Runnable task) {
        if (pool != null) {
            pool.execute(task);
            return;
        }
        virtualThreads.execute(() -> {
            virtualBusy.incrementAndGet();
            try {
                task.run();
            } finally {
                virtualBusy.decrementAndGet();
            }
        });
    }

    /**
     * Queues {@code task} to run off the event loop but may leave waking a thread to {@link #signal()},
     * which the caller must invoke soon (an event loop calls it once after its read batch).
     *
     * @throws RejectedExecutionException when the pool and its queue are full (answer 503)
     */
    public void executeDeferred(Runnable task) {
        if (pool != null) {
            pool.enqueue(task);
        } else {
            execute(task);
        }
    }

    /** Wakes a worker for tasks queued by {@link #executeDeferred} if none is looking for work. */
    public void signal() {
        if (pool != null) {
            pool.signal();
        }
    }

    /** @return handlers running right now on worker threads */
    public int busyThreads() {
        return pool != null ? pool.busyThreads() : virtualBusy.get();
    }

    /** @return handlers waiting for a pool thread (always 0 on the event loop or virtual threads, which never queue) */
    public int queued() {
        return pool != null ? pool.queuedTasks() : 0;
    }

    /**
     * @return worker threads alive now: the pool's threads, busy or idle, or the virtual threads
     *         running a handler (one per handler; they end with it); 0 on the event loop
     */
    public int currentThreads() {
        return pool != null ? pool.threadCount() : virtualBusy.get();
    }

    /** @return the most worker threads (0 on the event loop, {@code Integer.MAX_VALUE} for virtual threads) */
    public int maxThreads() {
        return maxThreads;
    }

    /** Stops taking tasks and waits up to {@code timeout} for running ones, then interrupts them. */
    public void shutdown(Duration timeout) {
        try {
            if (pool != null) {
                pool.shutdown();
                if (!pool.awaitTermination(timeout)) {
                    pool.shutdownNow();
                }
            } else if (virtualThreads != null) {
                virtualThreads.shutdown();
                if (!virtualThreads.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    virtualThreads.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            if (pool != null) {
                pool.shutdownNow();
            } else {
                virtualThreads.shutdownNow();
            }
            Thread.currentThread().interrupt();
        }
    }

    private static ExecutorService virtualThreadExecutor() {
        try {
            return (ExecutorService) virtualThreadFactoryHandle().invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create the virtual thread executor", e);
        }
    }

    /** Looked up once at configuration time; the build targets Java 17, where the method is absent. */
    private static MethodHandle virtualThreadFactoryHandle() {
        try {
            return MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
                    "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("DispatchMode.VIRTUAL_THREADS needs JDK 21 or later; this JVM is "
                    + Runtime.version() + ". Use WORKER_POOL or run on a newer JDK.");
        }
    }
}
