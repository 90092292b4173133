package dev.saker.server.dispatch;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded pool of platform threads that runs handlers in {@link DispatchMode#WORKER_POOL}.
 *
 * <p>It differs from a {@code ThreadPoolExecutor} in when it wakes a thread. A {@code
 * ThreadPoolExecutor} over a blocking queue wakes one parked worker per queued task, so a read batch
 * of 30 requests costs 30 thread wake-ups and 30 parks, and on a busy machine each of those is a
 * context switch. Here a parked worker is woken only when no worker is awake and looking for work
 * (<em>searching</em>); a worker that takes a task while more are queued wakes one more, so work still
 * fans out to every core, one wake-up at a time, and a task queued behind a handler that blocks
 * still gets its own thread within one wake-up. A worker that finishes a task takes the next queued
 * one without parking. Idle workers wait last-in first-out, so the most recently used (cache-warm)
 * thread is woken first, and the others time out after {@code keepAlive}.
 *
 * <p>Admission matches the engine's contract: a task is accepted while the tasks not yet running
 * fit in the idle threads plus {@code queueCapacity}; otherwise {@link #execute} throws {@link
 * RejectedExecutionException} (the engine answers 503).
 */
final class WorkerPool {

    private final String namePrefix;
    private final int maxThreads;
    private final int queueCapacity;
    private final long keepAliveNanos;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Tasks accepted and not yet taken by a worker. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Workers awake and not running a task, including those woken that have not run yet. */
    private final AtomicInteger searching = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    /** Live worker threads, counted before they start. */
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    /** Parked workers; the head is the one that parked last. */
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final Set<Worker> live = ConcurrentHashMap.newKeySet();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean shutdown;

    WorkerPool(String namePrefix, int maxThreads, int queueCapacity, Duration keepAlive) {
        if (maxThreads < 1 || queueCapacity < 0) {
            throw new IllegalArgumentException("maxThreads must be >= 1 and queueCapacity >= 0");
        }
        this.namePrefix = namePrefix;
        this.maxThreads = maxThreads;
        this.queueCapacity = queueCapacity;
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /** @throws RejectedExecutionException when shut down, or when every thread is busy and the queue is full */
    void execute(Runnable task) {
        enqueue(task);
        signal();
    }

    /**
     * Queues {@code task} without waking a worker: the caller promises a {@link #signal()} soon, so
     * that a batch of tasks costs one wake-up.
     *
     * @throws RejectedExecutionException when shut down, or when every thread is busy and the queue is full
     */
    void enqueue(Runnable task) {
        if (shutdown) {
            throw new RejectedExecutionException("worker pool is shut down");
        }
        int waiting = queued.incrementAndGet();
        if (waiting > queueCapacity + maxThreads - busy.get()) {
            queued.decrementAndGet();
            throw new RejectedExecutionException("all " + maxThreads + " worker threads are busy and "
                    + queueCapacity + " requests are queued");
        }
        queue.offer(task);
    }

    /** Makes sure a worker will look at the queue: wakes one unless one is already searching. */
    void signal() {
        // Pairs with the worker's "stop searching, then look at the queue again": either that worker
        // sees the queued task, or this thread sees no searcher and wakes one.
        if (searching.get() == 0 && !queue.isEmpty()) {
            wakeOne();
        }
    }

    /** @return workers running a task right now */
    int busyThreads() {
        return busy.get();
    }

    /** @return tasks accepted and not yet taken by a worker */
    int queuedTasks() {
        return queued.get();
    }

    /** @return live worker threads */
    int threadCount() {
        return threads.get();
    }

    /** Stops accepting tasks; queued tasks still run, then the threads end. */
    void shutdown() {
        shutdown = true;
        Worker w;
        while ((w = idle.pollFirst()) != null) {
            searching.incrementAndGet();
            w.wake();
        }
        if (threads.get() == 0) {
            terminated.countDown();
        }
    }

    /** Drops queued tasks and interrupts the running ones. */
    void shutdownNow() {
        shutdown();
        while (queue.poll() != null) {
            queued.decrementAndGet();
        }
        for (Worker w : live) {
            w.thread.interrupt();
        }
    }

    /** @return whether every thread ended within {@code timeout} */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Wakes the most recently parked worker, or starts a thread when none is parked and the cap allows. */
    private void wakeOne() {
        Worker w = idle.pollFirst();
        if (w != null) {
            searching.incrementAndGet();
            w.wake();
            return;
        }
        for (int n = threads.get(); n < maxThreads; n = threads.get()) {
            if (threads.compareAndSet(n, n + 1)) {
                searching.incrementAndGet();
                startWorker();
                return;
            }
        }
        // Every thread is running a task: the first to finish takes the queued one.
    }

    private void startWorker() {
        Worker w = new Worker();
        Thread t = new Thread(w, namePrefix + created.incrementAndGet());
        t.setDaemon(true);
        w.thread = t;
        live.add(w);
        try {
            t.start();
        } catch (Throwable e) {
            // No thread (e.g. the OS refused one): undo the counts taken for it; queued tasks wait
            // for the running workers.
            live.remove(w);
            searching.decrementAndGet();
            threads.decrementAndGet();
            throw e;
        }
    }

    private final class Worker implements Runnable {
        Thread thread;
        /** Set by the waker after it took this worker off the idle deque and counted it as searching. */
        private volatile boolean woken;

        void wake() {
            woken = true;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            try {
                work();
            } finally {
                live.remove(this);
                if (threads.decrementAndGet() == 0 && shutdown) {
                    terminated.countDown();
                }
                // A submitter that found no idle worker while this one was leaving (still counted at
                // the cap) started no thread: look again now that the count has room.
                if (!shutdown) {
                    signal();
                }
            }
        }

        /** Runs while this worker is counted in {@code searching}; returns when the thread should end. */
        private void work() {
            for (;;) {
                Runnable task = queue.poll();
                if (task != null) {
                    queued.decrementAndGet();
                    busy.incrementAndGet();
                    // More work and nobody else looking for it: hand it to another core.
                    if (searching.decrementAndGet() == 0 && !queue.isEmpty()) {
                        wakeOne();
                    }
                    runTask(task);
                    // Count as searching before leaving busy: a submitter looking in between would
                    // otherwise find no searcher and wake a thread for work this one is about to take.
                    searching.incrementAndGet();
                    busy.decrementAndGet();
                    continue;
                }
                if (shutdown) {
                    searching.decrementAndGet();
                    return;
                }
                // Park only after joining the idle deque, so that a submitter that sees no searcher
                // always finds a worker to wake there.
                idle.addFirst(this);
                searching.decrementAndGet();
                if (!queue.isEmpty() || shutdown) {
                    // A task arrived while this worker stopped searching: take it unless a waker already
                    // took this worker off the deque (then it counted us as searching and will wake us).
                    if (idle.removeFirstOccurrence(this)) {
                        searching.incrementAndGet();
                        continue;
                    }
                }
                if (!awaitWake()) {
                    return;
                }
            }
        }

        /** @return false when the keep-alive ran out and this worker left the idle deque itself */
        private boolean awaitWake() {
            long deadline = System.nanoTime() + keepAliveNanos;
            while (!woken) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (idle.removeFirstOccurrence(this)) {
                        return false;
                    }
                    // Taken by a waker at the last moment: its wake-up is on the way.
                    deadline = Long.MAX_VALUE;
                    continue;
                }
                LockSupport.parkNanos(this, left);
                // Interrupts are for tasks (shutdownNow); a parked worker only checks the shutdown flag.
                Thread.interrupted();
            }
            woken = false;
            return true;
        }

        private void runTask(Runnable task) {
            try {
                task.run();
            } catch (Throwable e) {
                Thread.UncaughtExceptionHandler h = thread.getUncaughtExceptionHandler();
                h.uncaughtException(thread, e);
            } finally {
                Thread.interrupted();
            }
        }
    }
}
