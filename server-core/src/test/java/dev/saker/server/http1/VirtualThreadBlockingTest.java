package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handlers blocked on a slow client (reading an upload that stalls, writing to a client that does not
 * read) wait on a {@code java.util.concurrent} condition, never in a monitor: on JDK 21 to 23 a
 * virtual thread waiting in {@code Object.wait} pins its carrier, and two such handlers would take
 * every carrier of a two-carrier scheduler. The virtual-thread case runs on JDK 21+ (the build's
 * {@code jdk25-virtual-threads} profile runs it on Temurin 25 with scheduler parallelism 2); JDK 24+
 * no longer pins in monitors (JEP 491), so the monitor-free check runs on every JDK.
 */
class VirtualThreadBlockingTest {

    private static final int PARTIAL = 1000;

    private final AtomicReference<Thread> reader = new AtomicReference<>();
    private final AtomicReference<Thread> writer = new AtomicReference<>();
    private final AtomicLong readBytes = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private SakerServer server;

    private final HttpHandler handler = ex -> {
        switch (ex.path()) {
            case "/upload": {
                reader.set(Thread.currentThread());
                byte[] buf = new byte[4096];
                try (InputStream in = ex.requestBody().asInputStream()) {
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        readBytes.addAndGet(r);
                    }
                }
                ex.send("read " + readBytes.get());
                break;
            }
            case "/download": {
                writer.set(Thread.currentThread());
                byte[] block = new byte[64 * 1024];
                try (OutputStream out = ex.responseBody()) {
                    // Bounded: far more than the socket buffers hold, so the writer must block.
                    for (int i = 0; i < 4096; i++) {
                        out.write(block);
                        written.addAndGet(block.length);
                    }
                }
                break;
            }
            default:
                ex.send("hello");
        }
    };

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aThirdRequestIsServedWhileTwoVirtualThreadsAreBlockedOnSlowClients() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        start(DispatchMode.VIRTUAL_THREADS);
        try (RawClient upload = stalledUpload(); RawClient download = stalledDownload()) {
            try (RawClient third = new RawClient(server.port(), 5_000)) {
                third.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(third.read().bodyText()).isEqualTo("hello");
            }
            // Both were still blocked meanwhile (a blocked writer rechecks now and then: sample it).
            assertThat(readBytes.get()).isEqualTo(PARTIAL);
            assertThat(reader.get().getState()).isEqualTo(Thread.State.WAITING);
            assertThat(Poll.until(Duration.ofSeconds(5), () -> isWaiting(writer.get()))).isTrue();
        }
    }

    @Test
    void blockedReadersAndWritersWaitOnAConditionNotInAMonitor() throws Exception {
        start(DispatchMode.WORKER_POOL);
        try (RawClient upload = stalledUpload(); RawClient download = stalledDownload()) {
            for (Thread blocked : new Thread[] {reader.get(), writer.get()}) {
                // A blocked writer rechecks now and then: sample until the thread is caught waiting.
                AtomicReference<ThreadInfo> waiting = new AtomicReference<>();
                assertThat(Poll.until(Duration.ofSeconds(5), () -> {
                    ThreadInfo info = ManagementFactory.getThreadMXBean()
                            .getThreadInfo(new long[] {blocked.getId()}, true, true)[0];
                    waiting.set(info);
                    return info.getLockInfo() != null;
                })).as("%s waits on something", blocked.getName()).isTrue();
                assertThat(waiting.get().getLockInfo().getClassName()).as("a j.u.c condition, not a monitor")
                        .contains("ConditionObject");
                assertThat(waiting.get().getLockedMonitors()).isEmpty();
            }
        }
    }

    private void start(DispatchMode mode) {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).dispatchMode(mode)
                .build(), handler).start();
    }

    /** An upload whose body stalls part-way: its handler blocks reading. */
    private RawClient stalledUpload() throws IOException {
        RawClient client = new RawClient(server.port());
        client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n");
        client.send(new byte[PARTIAL]);
        assertThat(Poll.until(Duration.ofSeconds(10), () -> readBytes.get() == PARTIAL && reader.get() != null
                && reader.get().getState() == Thread.State.WAITING)).as("the reader blocks").isTrue();
        return client;
    }

    /** A download whose client does not read: its handler blocks writing. */
    private RawClient stalledDownload() throws IOException {
        RawClient client = new RawClient(server.port());
        client.socket().setReceiveBufferSize(16 * 1024);
        client.send("GET /download HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(Poll.until(Duration.ofSeconds(10), () -> writer.get() != null && written.get() > 0
                && isWaiting(writer.get()))).as("the writer blocks").isTrue();
        return client;
    }

    private static boolean isWaiting(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }
}
