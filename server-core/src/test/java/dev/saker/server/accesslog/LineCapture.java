package dev.saker.server.accesslog;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An output that keeps the lines for a test to take, waiting for each (no sleeps). */
public final class LineCapture implements AccessLogOutput {

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile int batches;
    private volatile boolean closed;

    @Override
    public void write(String line) {
        lines.add(line);
    }

    @Override
    public void endBatch() {
        batches++;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** @return the next line, waiting up to 10 s; fails the test when none comes */
    public String next() throws InterruptedException {
        String line = lines.poll(10, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("no access log line within 10 s");
        }
        return line;
    }

    /** @return the lines not yet taken */
    public int pending() {
        return lines.size();
    }

    public int batches() {
        return batches;
    }

    public boolean closed() {
        return closed;
    }
}
