package dev.saker.servlet.compression;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip stream whose native zlib memory is freed on every path: after a normal close, after a
 * close that failed half-way, and when the response is abandoned without a trailer (aborted).
 */
final class GzipStream extends GZIPOutputStream {

    private volatile boolean ended;

    GzipStream(OutputStream out) throws IOException {
        super(out, 8192, true);
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            end();
        }
    }

    /** Frees the deflater without writing anything more (the response is aborted). */
    void release() {
        end();
    }

    private void end() {
        ended = true;
        def.end();
    }

    /** @return whether the native deflater has been freed */
    boolean ended() {
        return ended;
    }
}
