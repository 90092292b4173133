package dev.saker.servlet.upgrade;

import dev.saker.server.upgrade.ByteStream;
import dev.saker.servlet.request.RequestLifetime;
import dev.saker.servlet.request.SakerInputStream;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * The {@link WebConnection} of an upgraded connection: its input as the container's
 * {@link SakerInputStream} over the byte stream (blocking, or non-blocking with a
 * {@code ReadListener}: {@code onAllDataRead} when the client closes its side cleanly,
 * {@code onError} when the connection breaks or the server closes it), its output as an
 * {@link UpgradedOutputStream}. Non-blocking callbacks run one at a time on container threads.
 */
final class SakerWebConnection implements WebConnection {

    private final ByteStream stream;
    private final SakerInputStream input;
    private final UpgradedOutputStream output;

    SakerWebConnection(ByteStream stream, Executor callbacks) {
        this.stream = stream;
        // Always "async": a ReadListener may be set at any time on an upgraded connection.
        this.input = new SakerInputStream(new StreamBody(stream), new RequestLifetime(), () -> true, callbacks);
        this.output = new UpgradedOutputStream(stream, callbacks);
    }

    @Override
    public ServletInputStream getInputStream() {
        return input;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return output;
    }

    /** Flushes what was written and closes the connection; the handler's {@code destroy()} follows. */
    @Override
    public void close() throws IOException {
        input.close();
        stream.close();
    }

    /** The connection closed: drops input nobody read. */
    void released() throws IOException {
        input.close();
    }
}
