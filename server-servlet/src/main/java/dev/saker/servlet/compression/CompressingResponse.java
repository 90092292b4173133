package dev.saker.servlet.compression;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;

/**
 * Holds back the first {@code minResponseSize} bytes; once the body outgrows them (or is flushed)
 * and its type is compressible, switches to gzip ({@code Content-Encoding: gzip}, no length).
 */
final class CompressingResponse extends HttpServletResponseWrapper {

    private final CompressionSettings settings;
    private final byte[] held;
    private int heldCount;
    private GzipStream gzip;
    private boolean passThrough;
    private boolean finished;
    private boolean released;
    private long declaredLength = -1;
    private ServletOutputStream stream;
    private PrintWriter writer;

    CompressingResponse(HttpServletResponse response, CompressionSettings settings) {
        super(response);
        this.settings = settings;
        this.held = new byte[Math.max(settings.minResponseSize(), 1)];
    }

    @Override
    public void setContentLength(int len) {
        setContentLengthLong(len);
    }

    @Override
    public void setContentLengthLong(long len) {
        declaredLength = len;
    }

    @Override
    public void setHeader(String name, String value) {
        if ("Content-Length".equalsIgnoreCase(name)) {
            declaredLength = value == null ? -1 : Long.parseLong(value.trim());
            return;
        }
        super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        if ("Content-Length".equalsIgnoreCase(name)) {
            setHeader(name, value);
            return;
        }
        super.addHeader(name, value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        if (stream == null) {
            stream = new Stream();
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            if (stream != null) {
                throw new IllegalStateException("getOutputStream() has already been called");
            }
            stream = new Stream();
            writer = new PrintWriter(new OutputStreamWriter(stream, getCharacterEncoding()), false);
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        } else if (stream != null) {
            stream.flush();
        } else {
            super.flushBuffer();
        }
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        heldCount = 0;
    }

    @Override
    public void reset() {
        super.reset();
        heldCount = 0;
        declaredLength = -1;
    }

    private void write(byte[] b, int off, int len) throws IOException {
        if (released) {
            throw new IOException("the response was aborted");
        }
        if (gzip != null) {
            gzip.write(b, off, len);
            return;
        }
        if (passThrough) {
            getResponse().getOutputStream().write(b, off, len);
            return;
        }
        if (heldCount + len < held.length) {
            System.arraycopy(b, off, held, heldCount, len);
            heldCount += len;
            return;
        }
        decide(true);
        write(b, off, len);
    }

    /** Chooses gzip or pass-through; {@code big} says whether the body reached the minimum size. */
    private void decide(boolean big) throws IOException {
        HttpServletResponse response = (HttpServletResponse) getResponse();
        boolean compressible = settings.compressible(response.getContentType())
                && response.getHeader("Content-Encoding") == null && response.getStatus() != 206
                && !response.isCommitted();
        if (compressible) {
            response.addHeader("Vary", "Accept-Encoding");
        }
        if (compressible && big) {
            response.setHeader("Content-Encoding", "gzip");
            // Whatever length reached the wrapped response is the uncompressed one: drop it.
            response.setContentLengthLong(-1);
            gzip = new GzipStream(response.getOutputStream());
            gzip.write(held, 0, heldCount);
        } else {
            passThrough = true;
            if (declaredLength >= 0) {
                response.setContentLengthLong(declaredLength);
            }
            response.getOutputStream().write(held, 0, heldCount);
        }
        heldCount = 0;
    }

    private void flushOut() throws IOException {
        if (finished || released) {
            return;
        }
        if (gzip == null && !passThrough) {
            // A flush before the end: compress if the type allows, unless a declared length says it is small.
            decide(declaredLength < 0 || declaredLength >= settings.minResponseSize());
        }
        if (gzip != null) {
            gzip.flush();
        } else {
            getResponse().getOutputStream().flush();
        }
    }

    /**
     * Frees the compressor without ending the body: the request failed or was aborted (or has ended
     * after {@link #finish()}, when this changes nothing). Later writes fail.
     */
    void release() {
        released = true;
        if (gzip != null) {
            gzip.release();
        }
    }

    /** @return whether no compressor holds native memory any more (or none was ever made) */
    boolean compressorEnded() {
        return gzip == null || gzip.ended();
    }

    /** Ends the body: writes held bytes uncompressed when small, or the gzip trailer. */
    void finish() throws IOException {
        if (finished || released) {
            return;
        }
        finished = true;
        if (writer != null) {
            // Moves the writer's characters into the stream; finished makes its flush a no-op.
            writer.flush();
        }
        if (gzip == null && !passThrough) {
            if (heldCount == 0 && stream == null) {
                if (declaredLength >= 0) {
                    getResponse().setContentLengthLong(declaredLength);
                }
                return;
            }
            decide(heldCount >= settings.minResponseSize());
        }
        if (gzip != null) {
            gzip.close();
        }
    }

    /** The wrapped body stream. */
    private final class Stream extends ServletOutputStream {
        @Override
        public void write(int b) throws IOException {
            CompressingResponse.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            CompressingResponse.this.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            flushOut();
        }

        @Override
        public void close() throws IOException {
            finish();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException("non-blocking writes are not supported on compressed responses");
        }
    }
}
