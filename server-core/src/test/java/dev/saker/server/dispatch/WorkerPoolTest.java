package dev.saker.server.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WorkerPoolTest {

    private final List<WorkerPool> pools = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopPools() throws InterruptedException {
        release.countDown();
        for (WorkerPool p : pools) {
            p.shutdownNow();
            assertThat(p.awaitTermination(Duration.ofSeconds(10))).isTrue();
        }
    }

    private WorkerPool pool(int maxThreads, int queueCapacity, Duration keepAlive) {
        WorkerPool p = new WorkerPool("test-worker-", maxThreads, queueCapacity, keepAlive);
        pools.add(p);
        return p;
    }

    @Test
    void tasksQueuedBehindBlockedOnesEachGetAThreadUpToTheCap() throws Exception {
        WorkerPool p = pool(8, 100, Duration.ofSeconds(60));
        CountDownLatch allRunning = new CountDownLatch(8);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 8; i++) {
            p.execute(() -> {
                threads.add(Thread.currentThread());
                allRunning.countDown();
                awaitRelease();
            });
        }
        assertThat(allRunning.await(10, TimeUnit.SECONDS)).as("8 blocking tasks run at once").isTrue();
        assertThat(threads).hasSize(8);
        assertThat(p.busyThreads()).isEqualTo(8);

        // The ninth waits in the queue and runs as soon as a thread is free.
        CountDownLatch ninth = new CountDownLatch(1);
        p.execute(ninth::countDown);
        assertThat(ninth.await(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(p.threadCount()).isEqualTo(8);
        release.countDown();
        assertThat(ninth.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void rejectsWhenEveryThreadIsBusyAndTheQueueIsFull() throws Exception {
        WorkerPool p = pool(2, 3, Duration.ofSeconds(60));
        CountDownLatch running = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            p.execute(() -> {
                running.countDown();
                awaitRelease();
            });
        }
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            p.execute(ran::incrementAndGet);
        }
        assertThatThrownBy(() -> p.execute(ran::incrementAndGet))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("2 worker threads are busy");
        release.countDown();
        awaitTrue(() -> ran.get() == 3);
    }

    @Test
    void withoutAQueueATaskIsAcceptedOnlyWhenAThreadIsFree() throws Exception {
        WorkerPool p = pool(1, 0, Duration.ofSeconds(60));
        CountDownLatch running = new CountDownLatch(1);
        p.execute(() -> {
            running.countDown();
            awaitRelease();
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> p.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        release.countDown();
        awaitTrue(() -> p.busyThreads() == 0);
        CountDownLatch second = new CountDownLatch(1);
        p.execute(second::countDown);
        assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void oneTaskAtATimeReusesTheSameParkedThread() throws Exception {
        WorkerPool p = pool(50, 100, Duration.ofSeconds(60));
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 2_000; i++) {
            CountDownLatch done = new CountDownLatch(1);
            p.execute(() -> {
                threads.add(Thread.currentThread());
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        // A new thread starts only when a task arrives while every thread is busy: here, in the instant
        // after a task counted down its latch and before it returned. A pool that woke or started a
        // thread per task would use up to 50.
        assertThat(threads).hasSizeLessThanOrEqualTo(4);
        assertThat(p.threadCount()).isLessThanOrEqualTo(4);
    }

    @Test
    void tasksQueuedWithoutWakingAllRunAfterOneSignal() throws Exception {
        WorkerPool p = pool(4, 1_000, Duration.ofSeconds(60));
        CountDownLatch done = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            p.enqueue(done::countDown);
        }
        assertThat(p.threadCount()).as("enqueue alone starts no thread").isZero();
        p.signal();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.threadCount()).isBetween(1, 4);
    }

    @Test
    void everyTaskRunsExactlyOnceUnderConcurrentSubmitters() throws Exception {
        WorkerPool p = pool(4, 1_000_000, Duration.ofMillis(1));
        int submitters = 4;
        int perSubmitter = 50_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(submitters * perSubmitter);
        CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
        List<Thread> producers = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int base = s * perSubmitter;
            Thread t = new Thread(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    int id = base + i;
                    p.execute(() -> {
                        runs.incrementAndGet(id);
                        done.countDown();
                    });
                    if (i % 1000 == 0) {
                        // Let the workers drain and park now and then, so wake-ups are exercised too.
                        Thread.yield();
                    }
                }
            });
            producers.add(t);
            t.start();
        }
        for (Thread t : producers) {
            t.join();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).as("no task is stranded in the queue").isTrue();
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
        }
        assertThat(p.threadCount()).isLessThanOrEqualTo(4);
    }

    @Test
    void idleThreadsEndAfterTheKeepAliveAndNewOnesStartOnDemand() throws Exception {
        WorkerPool p = pool(4, 10, Duration.ofMillis(50));
        CountDownLatch ran = new CountDownLatch(1);
        p.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        awaitTrue(() -> p.threadCount() == 0);
        CountDownLatch again = new CountDownLatch(1);
        p.execute(again::countDown);
        assertThat(again.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aThrowingTaskDoesNotStopItsWorker() throws Exception {
        WorkerPool p = pool(1, 10, Duration.ofSeconds(60));
        AtomicInteger reported = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        p.execute(() -> {
            Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.incrementAndGet());
            first.countDown();
        });
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        p.execute(() -> {
            throw new IllegalStateException("handler bug");
        });
        CountDownLatch after = new CountDownLatch(1);
        p.execute(after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(reported.get()).isEqualTo(1);
        assertThat(p.threadCount()).isEqualTo(1);
    }

    @Test
    void shutdownRunsQueuedTasksThenEndsTheThreads() throws Exception {
        WorkerPool p = pool(1, 10, Duration.ofSeconds(60));
        CountDownLatch running = new CountDownLatch(1);
        p.execute(() -> {
            running.countDown();
            awaitRelease();
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger queuedRan = new AtomicInteger();
        p.execute(queuedRan::incrementAndGet);
        p.shutdown();
        assertThatThrownBy(() -> p.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(p.awaitTermination(Duration.ofMillis(100))).isFalse();
        release.countDown();
        assertThat(p.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(queuedRan.get()).isEqualTo(1);
        assertThat(p.threadCount()).isZero();
    }

    @Test
    void shutdownNowInterruptsRunningTasksAndDropsQueuedOnes() throws Exception {
        WorkerPool p = pool(1, 10, Duration.ofSeconds(60));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        p.execute(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger queuedRan = new AtomicInteger();
        p.execute(queuedRan::incrementAndGet);
        p.shutdownNow();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.awaitTermination(Duration.ofSeconds(10))).isTrue();
        assertThat(queuedRan.get()).isZero();
    }

    @Test
    void shutdownOfAnUnusedPoolTerminatesAtOnce() throws Exception {
        WorkerPool p = pool(4, 10, Duration.ofSeconds(60));
        p.shutdown();
        assertThat(p.awaitTermination(Duration.ZERO)).isTrue();
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTrue(BooleanSupplier condition) {
        assertThat(Poll.until(Duration.ofSeconds(10), condition)).as("condition within 10 s").isTrue();
    }
}
