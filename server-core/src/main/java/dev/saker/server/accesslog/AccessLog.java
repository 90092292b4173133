package dev.saker.server.accesslog;

import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: the event loops hand records to a bounded queue (never waiting: a record that
 * finds the queue full is dropped and counted, see {@link #dropped()}); one daemon thread drains it,
 * formats each record (pattern or JSON lines) and writes the lines to the outputs, flushing them
 * after each drained batch. Started when built; {@link #close()} writes what is queued and stops.
 */
public final class AccessLog implements AccessLogSink, AutoCloseable {

    /** How records become lines. */
    public enum Format {
        /** The pattern's letters. */
        TEXT,
        /** One JSON object per line, fixed field names. */
        JSON
    }

    /** Default capacity of the queue, in records. */
    public static final int DEFAULT_QUEUE_SIZE = 8192;

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private static final int BATCH = 512;
    /** Queued by {@link #close()} behind every record: the writer stops when it reaches it. */
    private static final AccessRecord STOP = new AccessRecord(null, null, null, null, 0, 0, 0, 0, null, null, 0, "",
            new String[0], new String[0]);

    private final AccessLogPattern pattern;
    private final Function<AccessRecord, String> formatter;
    private final List<AccessLogOutput> outputs;
    private final BlockingQueue<AccessRecord> queue;
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final LongAdder failures = new LongAdder();
    private final Thread writer;
    private volatile boolean closed;

    private AccessLog(Builder b) {
        this.pattern = AccessLogPattern.parse(b.pattern, b.zone);
        this.formatter = b.format == Format.JSON ? new JsonLines(pattern)::format : pattern::format;
        this.outputs = List.copyOf(b.outputs);
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("an access log needs at least one output");
        }
        this.queue = new ArrayBlockingQueue<>(b.queueSize);
        this.writer = new Thread(this::drain, b.threadName);
        writer.setDaemon(true);
        writer.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<String> requestHeaderNames() {
        return pattern.requestHeaderNames();
    }

    @Override
    public List<String> responseHeaderNames() {
        return pattern.responseHeaderNames();
    }

    /** Queues the record, or drops and counts it when the queue is full; never blocks. */
    @Override
    public void log(AccessRecord record) {
        if (closed || !queue.offer(record)) {
            dropped.increment();
        }
    }

    /** @return records dropped because the queue was full (or the log closed) */
    public long dropped() {
        return dropped.sum();
    }

    /** @return records formatted and written to the outputs */
    public long written() {
        return written.get();
    }

    /** @return lines an output failed to take (an I/O error, logged at WARN when it first happens) */
    public long failures() {
        return failures.sum();
    }

    /** @return records waiting in the queue */
    public int queued() {
        return queue.size();
    }

    private void drain() {
        List<AccessRecord> batch = new ArrayList<>(BATCH);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                for (AccessRecord record : batch) {
                    if (record == STOP) {
                        endBatch();
                        return;
                    }
                    write(formatter.apply(record));
                }
                endBatch();
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (AccessLogOutput output : outputs) {
                try {
                    output.close();
                } catch (IOException e) {
                    log.warn("access log output {} failed to close", output, e);
                }
            }
        }
    }

    private void write(String line) {
        for (AccessLogOutput output : outputs) {
            try {
                output.write(line);
            } catch (IOException | RuntimeException e) {
                failed(output, e);
            }
        }
        written.incrementAndGet();
    }

    private void endBatch() {
        for (AccessLogOutput output : outputs) {
            try {
                output.endBatch();
            } catch (IOException | RuntimeException e) {
                failed(output, e);
            }
        }
    }

    private void failed(AccessLogOutput output, Exception e) {
        failures.increment();
        if (failures.sum() == 1) {
            log.warn("access log output {} failed; further failures are only counted", output, e);
        }
    }

    /**
     * Writes every queued record, closes the outputs and stops the writer thread; waits at most
     * {@code timeout} for that. Records logged afterwards are dropped.
     *
     * @return whether the writer finished within the timeout
     */
    public boolean close(long timeout, TimeUnit unit) throws InterruptedException {
        closed = true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!queue.offer(STOP, timeout, unit)) {
            return false;
        }
        writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        return !writer.isAlive();
    }

    /** {@link #close(long, TimeUnit)} with a 10 second bound. */
    @Override
    public void close() {
        try {
            if (!close(10, TimeUnit.SECONDS)) {
                log.warn("access log writer did not finish within 10 s; {} records left", queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings of an {@link AccessLog}; {@link #build()} starts it. */
    public static final class Builder {
        private String pattern = "common";
        private Format format = Format.TEXT;
        private ZoneId zone = ZoneId.systemDefault();
        private int queueSize = DEFAULT_QUEUE_SIZE;
        private String threadName = "saker-accesslog";
        private final List<AccessLogOutput> outputs = new ArrayList<>();

        private Builder() {
        }

        /** {@code common} (the default), {@code combined} or a pattern of letters (see {@code docs/access-log.md}). */
        public Builder pattern(String pattern) {
            this.pattern = Objects.requireNonNull(pattern, "pattern");
            return this;
        }

        /** {@link Format#TEXT} (the default) or {@link Format#JSON}. */
        public Builder format(Format format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Time zone of {@code %t} (default: the system's). */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** Records the queue holds before dropping (default {@value AccessLog#DEFAULT_QUEUE_SIZE}). */
        public Builder queueSize(int queueSize) {
            if (queueSize < 1) {
                throw new IllegalArgumentException("access log queue size must be at least 1: " + queueSize);
            }
            this.queueSize = queueSize;
            return this;
        }

        /** Name of the writer thread (default {@code saker-accesslog}). */
        public Builder threadName(String threadName) {
            this.threadName = Objects.requireNonNull(threadName, "threadName");
            return this;
        }

        /** Adds an output, for example {@link Slf4jOutput} or {@link RollingFileOutput}. */
        public Builder output(AccessLogOutput output) {
            outputs.add(Objects.requireNonNull(output, "output"));
            return this;
        }

        public AccessLog build() {
            return new AccessLog(this);
        }
    }
}
