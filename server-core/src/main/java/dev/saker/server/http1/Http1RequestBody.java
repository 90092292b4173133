package dev.saker.server.http1;

import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.http.RequestBody;
import java.io.InputStream;

/** The {@link RequestBody} of an exchange: one-shot non-blocking deliveries, or a blocking stream the loop pushes to. */
final class Http1RequestBody implements RequestBody {

    private static final HttpHeaders NO_TRAILERS = new MutableHeaders();

    private final Http1Connection connection;
    private final RequestBodyReader reader;
    private final BlockingBodyStream stream;
    private long contentLength;

    Http1RequestBody(Http1Connection connection, RequestBodyReader reader) {
        this.connection = connection;
        this.reader = reader;
        this.stream = new BlockingBodyStream(connection, reader, connection.inputHighWater());
    }

    void reset(long contentLength) {
        this.contentLength = contentLength;
        stream.recycle();
    }

    void releaseLeftovers() {
        stream.recycle();
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public InputStream asInputStream() {
        if (connection.inEventLoop()) {
            throw new IllegalStateException("blocking body read on the event loop; use read(BodyConsumer) "
                    + "or a WORKER_POOL / VIRTUAL_THREADS dispatch mode");
        }
        return stream;
    }

    @Override
    public void read(BodyConsumer consumer) {
        connection.runOnLoop(() -> reader.read(consumer));
    }

    @Override
    public HttpHeaders trailers() {
        HttpHeaders trailers = reader.trailers();
        return trailers == null ? NO_TRAILERS : trailers;
    }
}
