package dev.saker.servlet.upgrade;

import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.http.RequestBody;
import dev.saker.server.upgrade.ByteStream;
import java.io.InputStream;

/**
 * An upgraded connection's input in the shape of a request body of unknown length, so the
 * container's {@code SakerInputStream} serves it (blocking reads, and a {@code ReadListener} told
 * of data, of the client's end of the stream and of failures) as it serves request bodies.
 */
final class StreamBody implements RequestBody {

    private static final HttpHeaders NO_TRAILERS = new MutableHeaders();

    private final ByteStream stream;

    StreamBody(ByteStream stream) {
        this.stream = stream;
    }

    @Override
    public long contentLength() {
        return -1;
    }

    @Override
    public InputStream asInputStream() {
        return stream.inputStream();
    }

    @Override
    public void read(BodyConsumer consumer) {
        stream.read(consumer);
    }

    /** @return no fields: a byte stream has no trailers */
    @Override
    public HttpHeaders trailers() {
        return NO_TRAILERS;
    }
}
