package dev.saker.websocket.testing;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What server-side endpoints saw, for a test to wait on (passed to endpoints through user properties). */
public final class Recorder {

    public static final String KEY = "recorder";

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();

    public void add(String event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    /** @return the next event, failing after 10 s */
    public String next() throws InterruptedException {
        String e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no server-side event within 10 s");
        }
        return e;
    }

    /** @return the next event that starts with {@code prefix}, skipping others */
    public String next(String prefix) throws InterruptedException {
        while (true) {
            String e = next();
            if (e.startsWith(prefix)) {
                return e;
            }
        }
    }

    /** @return the names of the threads events were recorded on */
    public List<String> threads() {
        return threads;
    }
}
