package dev.saker.servlet.request;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as a {@link ServletInputStream}, reading the engine's body stream with its
 * backpressure. Non-blocking reads through a {@link ReadListener} are not supported yet.
 */
public final class SakerInputStream extends ServletInputStream {

    private final InputStream body;
    private boolean finished;

    public SakerInputStream(InputStream body) {
        this.body = body;
    }

    @Override
    public int read() throws IOException {
        int b = body.read();
        finished |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = body.read(b, off, len);
        finished |= n < 0;
        return n;
    }

    @Override
    public int available() throws IOException {
        return body.available();
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
        throw new UnsupportedOperationException("non-blocking request reads (ReadListener) are not supported by Saker yet");
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
