package dev.saker.servlet.response;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/** The response body as a {@link ServletOutputStream}, writing into the response's buffer. */
final class SakerOutputStream extends ServletOutputStream {

    private final SakerResponse response;

    SakerOutputStream(SakerResponse response) {
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        response.writeBody(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        response.writeBody(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        response.flushBuffer();
    }

    @Override
    public void close() throws IOException {
        response.closeOutput();
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
        throw new UnsupportedOperationException("non-blocking response writes (WriteListener) are not supported by Saker yet");
    }
}
