package dev.saker.servlet.response;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The response {@link PrintWriter}: {@code flush()} by the application commits and sends what is
 * buffered (as the Servlet spec asks); the container only moves pending characters into the
 * response buffer with {@link #flushChars()}. Like every PrintWriter it reports errors through
 * {@link #checkError()} rather than exceptions.
 */
final class ResponseWriter extends PrintWriter {

    private final SakerResponse response;

    ResponseWriter(Writer encoder, SakerResponse response) {
        super(encoder, false);
        this.response = response;
    }

    /** Encodes pending characters into the response buffer. */
    void flushChars() {
        super.flush();
    }

    @Override
    public void flush() {
        super.flush();
        try {
            response.flushToClient();
        } catch (IOException e) {
            setError();
        }
    }
}
