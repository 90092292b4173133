package dev.saker.servlet.response;

import java.io.IOException;
import java.io.OutputStream;

/** Where the response writer's encoder puts bytes: the response buffer, with no flush to the client. */
final class BufferSink extends OutputStream {

    private final SakerResponse response;

    BufferSink(SakerResponse response) {
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        response.writeBody(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        response.writeBody(b, off, len);
    }
}
