package dev.saker.server.accesslog;

import java.io.IOException;

/** Where formatted lines go; used only by the log's writer thread. */
public interface AccessLogOutput extends AutoCloseable {

    /** Writes one line (without a line break). */
    void write(String line) throws IOException;

    /** The batch drained from the queue is written: flush what is buffered. */
    void endBatch() throws IOException;

    @Override
    void close() throws IOException;
}
