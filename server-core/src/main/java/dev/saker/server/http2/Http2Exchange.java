package dev.saker.server.http2;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.ClientWatch;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.HttpStatus;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.http.RequestBody;
import dev.saker.server.http.ResponseHeaders;
import dev.saker.server.http1.QueryDecoder;
import dev.saker.server.observe.TimeoutKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HttpExchange} of one HTTP/2 stream (one per stream, never reused). Request data comes
 * from the HEADERS frame ({@link Http2Request}); response calls may come from any thread and are
 * turned into HEADERS and DATA frames on the stream's loop, the last one carrying END_STREAM.
 */
final class Http2Exchange implements HttpExchange, Runnable {

    private static final Logger log = LoggerFactory.getLogger(Http2Exchange.class);

    private final Http2Runtime rt;
    private final Http2Connection connection;
    private final LoopContext loop;
    private final Channel stream;
    private final Http2Request request;
    private final Http2RequestBody body;
    private final MutableHeaders responseHeaders = new MutableHeaders();
    private final Http2ResponseStream output;
    private final Http2WriteGate writeGate;
    /** The handler's return and the stream's close: {@link #partEnded()} counts them down. */
    private final AtomicInteger ends = new AtomicInteger(2);

    private String path;
    private Map<String, List<String>> query;
    private Map<String, List<String>> rawQueryMap;
    private volatile int status = 200;
    private volatile boolean committed;
    private volatile boolean completed;
    private volatile boolean async;
    private volatile boolean nonBlocking;
    private volatile HttpHeaders trailers;
    /** Whether this request holds a concurrency permit of admission control, taken at {@link #permitAt}. */
    private boolean holdsPermit;
    private long permitAt;
    private volatile String remoteUser;
    private final ClientWatch clientWatch = new ClientWatch();
    /** When the request's HEADERS arrived (for the access log). */
    private final long startedAt;
    /** Body bytes handed to the stream, counted on the loop (for the access log). */
    private long bodyBytes;
    /** Why the engine answered this request itself, or null; set on the loop. */
    private String engineReason;

    Http2Exchange(Http2Runtime rt, Http2Connection connection, LoopContext loop, Channel stream, Http2Request request,
            Http2RequestBody body, long startedAt) {
        this.rt = rt;
        this.startedAt = startedAt;
        this.connection = connection;
        this.loop = loop;
        this.stream = stream;
        this.request = request;
        this.body = body;
        this.output = new Http2ResponseStream(this, rt.config.responseBufferSize());
        this.writeGate = new Http2WriteGate(stream, connection.waits, rt.writeTimeoutNanos, this::writeTimedOut);
    }

    // ---- handler invocation ----

    /** Runs the handler, then ends a response it left open, or answers its failure. */
    @Override
    public void run() {
        try {
            rt.handler.handle(this);
            if (!completed && !async) {
                finishIfOpen();
            }
        } catch (BadRequestException e) {
            fail(e.status());
        } catch (Throwable t) {
            log.debug("handler failed on {}", this, t);
            fail(500);
        } finally {
            connection.handlerReturned();
            partEnded();
        }
    }

    /**
     * One of the two ends of this exchange was reached: the handler returned (or was never run),
     * or the stream closed. The request counts as finished, and the connection's stream as done
     * (for its idle timeout and shutdown), only after both, whichever comes last.
     */
    void partEnded() {
        if (ends.decrementAndGet() == 0) {
            if (holdsPermit) {
                rt.admission.requestDone(permitAt, status);
            }
            runOnLoop(() -> {
                rt.stats.requestFinished(status);
                if (rt.accessLog != null) {
                    rt.accessLog.finished(remoteAddress(), request.method, request.target, protocol(), status, bodyBytes,
                            startedAt, engineReason, request.headers, responseHeaders, remoteUser);
                }
                connection.streamClosed();
            });
        }
    }

    /** Marks this request as holding a concurrency permit taken at {@code admittedAt}; call before it runs. */
    void holdPermit(long admittedAt) {
        holdsPermit = true;
        permitAt = admittedAt;
    }

    /** Names why the engine answers this request itself (for the access log); on the loop. */
    void engineReason(String reason) {
        engineReason = reason;
    }

    private void finishIfOpen() throws IOException {
        if (output.used()) {
            output.close();
        } else {
            send(Unpooled.EMPTY_BUFFER);
        }
    }

    /**
     * Answers a failure: an error status if nothing was committed, else resets the stream
     * (CANCEL for a client's fault, a 4xx; INTERNAL_ERROR for the server's).
     */
    void fail(int errorStatus) {
        if (completed) {
            return;
        }
        if (committed) {
            reset(null, errorStatus < 500 ? Http2Error.CANCEL : Http2Error.INTERNAL_ERROR);
            return;
        }
        output.discard();
        responseHeaders.clear();
        status = errorStatus;
        sendWhole(Unpooled.EMPTY_BUFFER);
    }

    // ---- request ----

    @Override
    public String method() {
        return request.method;
    }

    @Override
    public String rawTarget() {
        return request.target;
    }

    @Override
    public String rawPath() {
        return request.rawPath;
    }

    @Override
    public String path() {
        if (path == null) {
            path = QueryDecoder.decode(request.rawPath, false);
        }
        return path;
    }

    @Override
    public String rawQuery() {
        return request.rawQuery;
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        if (query == null) {
            query = QueryDecoder.parse(request.rawQuery, true);
        }
        return query;
    }

    @Override
    public Map<String, List<String>> rawQueryParameters() {
        if (rawQueryMap == null) {
            rawQueryMap = QueryDecoder.parse(request.rawQuery, false);
        }
        return rawQueryMap;
    }

    @Override
    public String protocol() {
        return "HTTP/2.0";
    }

    @Override
    public void remoteUser(String name) {
        remoteUser = name;
    }

    @Override
    public String remoteUser() {
        return remoteUser;
    }

    @Override
    public String host() {
        return request.host;
    }

    @Override
    public HttpHeaders requestHeaders() {
        return request.headers;
    }

    @Override
    public RequestBody requestBody() {
        return body;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) stream.parent().remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) stream.parent().localAddress();
    }

    @Override
    public SSLSession sslSession() {
        return connection.sslSession();
    }

    // ---- response ----

    @Override
    public HttpExchange status(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be a final status 200..599: " + status);
        }
        checkNotCommitted();
        this.status = status;
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public ResponseHeaders responseHeaders() {
        return responseHeaders;
    }

    @Override
    public void send(ByteBuf content) {
        try {
            checkNotCommitted();
        } catch (IllegalStateException e) {
            content.release();
            throw e;
        }
        sendWhole(content);
    }

    @Override
    public void send(byte[] content) {
        send(Unpooled.wrappedBuffer(content));
    }

    @Override
    public void send(String content) {
        send(content.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void redirect(int status, String location) {
        if (status < 300 || status > 399) {
            throw new IllegalArgumentException("redirect status must be 3xx: " + status);
        }
        checkNotCommitted();
        this.status = status;
        responseHeaders.set("Location", location);
        send(Unpooled.EMPTY_BUFFER);
    }

    @Override
    public OutputStream responseBody() {
        if (completed) {
            throw new IllegalStateException("the response is already complete");
        }
        return output;
    }

    @Override
    public void trailers(HttpHeaders trailers) {
        if (completed) {
            throw new IllegalStateException("the response is already complete");
        }
        this.trailers = trailers;
    }

    /** @return whether trailer fields were set (they need the body streamed, however small) */
    boolean hasTrailers() {
        HttpHeaders fields = trailers;
        return fields != null && fields.size() > 0;
    }

    @Override
    public boolean responseWritable() {
        return writeGate.writable();
    }

    @Override
    public void onResponseWritable(Runnable task) {
        nonBlocking = true;
        runOnLoop(() -> writeGate.whenWritable(task));
    }

    /** The client gave no room for the write timeout while a writer waited: the stream is reset. */
    private void writeTimedOut() {
        rt.stats.timeout(TimeoutKind.WRITE);
        reset(null, Http2Error.CANCEL);
    }

    @Override
    public boolean committed() {
        return committed;
    }

    @Override
    public void abort(Throwable cause) {
        reset(cause, Http2Error.INTERNAL_ERROR);
    }

    /** Ends the response unfinished: RST_STREAM with {@code code}; later writes fail. */
    private void reset(Throwable cause, Http2Error code) {
        if (completed) {
            return;
        }
        log.debug("response {} aborted", this, cause);
        output.discard();
        committed = true;
        completed = true;
        runOnLoop(() -> resetOnLoop(code, "the response was reset"));
    }

    /** On the loop: RST_STREAM with {@code code}, a request body not yet received given up first. */
    private void resetOnLoop(Http2Error code, String why) {
        if (!stream.isActive()) {
            return;
        }
        if (!body.clientFinished()) {
            body.abandon(new IOException(why));
        }
        stream.writeAndFlush(new DefaultHttp2ResetFrame(code));
    }

    @Override
    public void async() {
        async = true;
    }

    @Override
    public void onClientGone(Runnable listener) {
        clientWatch.listen(listener);
    }

    /**
     * Always refuses: HTTP/2 has no {@code Upgrade} (RFC 9113 §8.6) and a stream cannot leave the
     * connection it shares; the field is connection-specific and not even allowed in a request
     * (§8.2.2). WebSocket over HTTP/2 (RFC 8441, extended CONNECT) is not offered.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void upgrade(dev.saker.server.connection.UpgradedProtocol protocol) {
        throw new UnsupportedOperationException(
                "an HTTP/2 stream cannot switch protocols (RFC 9113 section 8.6: HTTP/2 has no Upgrade)");
    }

    // ---- frames (called by the output stream, and by the loop) ----

    /** The whole response in one go, with a length: HEADERS, then one DATA frame that ends the stream. */
    void sendWhole(ByteBuf content) {
        committed = true;
        completed = true;
        runOnLoop(content, () -> {
            if (!stream.isActive()) {
                content.release();
                return;
            }
            boolean empty = !content.isReadable() || request.head;
            if (!empty) {
                bodyBytes = content.readableBytes();
            }
            Http2Headers head = Http2ResponseHead.build(status, responseHeaders, loop, rt.config.serverHeader());
            head.setLong("content-length", content.readableBytes());
            stream.write(new DefaultHttp2HeadersFrame(head, empty));
            if (empty) {
                content.release();
            } else {
                stream.write(new DefaultHttp2DataFrame(content, true));
            }
            stream.flush();
            stopUnreadBody();
        });
    }

    /** The streamed body has begun: the HEADERS go out without END_STREAM. */
    void commitStreaming() {
        committed = true;
        runOnLoop(() -> {
            if (stream.isActive()) {
                Http2Headers head = Http2ResponseHead.build(status, responseHeaders, loop, rt.config.serverHeader());
                stream.writeAndFlush(new DefaultHttp2HeadersFrame(head, false));
            }
        });
    }

    /** One DATA frame of a streamed body; the {@code last} one ends the stream (or its trailers do). */
    void writeData(ByteBuf data, boolean last) {
        if (last) {
            completed = true;
        }
        HttpHeaders trailerFields = last ? trailers : null;
        int size = data.readableBytes();
        boolean offLoop = !stream.eventLoop().inEventLoop();
        if (offLoop) {
            writeGate.handedOver(size);
        }
        runOnLoop(data, () -> {
            if (!offLoop) {
                writeDataOnLoop(data, last, trailerFields);
                return;
            }
            try {
                writeDataOnLoop(data, last, trailerFields);
            } finally {
                // These bytes now count in the channel's writability instead: writers check again.
                writeGate.arrived(size);
            }
        });
    }

    private void writeDataOnLoop(ByteBuf data, boolean last, HttpHeaders trailerFields) {
        if (!stream.isActive()) {
            data.release();
            return;
        }
        if (request.head) {
            data.release();
            if (last) {
                stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
                stopUnreadBody();
            }
            return;
        }
        boolean withTrailers = trailerFields != null && trailerFields.size() > 0;
        bodyBytes += data.readableBytes();
        stream.write(new DefaultHttp2DataFrame(data, last && !withTrailers));
        if (withTrailers) {
            stream.write(new DefaultHttp2HeadersFrame(Http2ResponseHead.trailers(trailerFields), true));
        }
        stream.flush();
        if (last) {
            stopUnreadBody();
        }
    }

    /**
     * On the loop, after the response's last frame: a request body the handler left unread would
     * keep the stream open (its DATA frames are not read), so the stream is reset with NO_ERROR,
     * which tells the client to stop sending (RFC 9113 section 8.1).
     */
    private void stopUnreadBody() {
        if (!body.clientFinished()) {
            resetOnLoop(Http2Error.NO_ERROR, "the response completed before the request body was read");
        }
    }

    /**
     * Waits until the stream can take more bytes ({@link Http2WriteGate}), up to the write timeout,
     * which resets the stream. Returns at once on the loop or for a non-blocking writer.
     */
    void awaitWritable() throws IOException {
        if (nonBlocking || stream.eventLoop().inEventLoop()) {
            return;
        }
        if (!writeGate.await(System.nanoTime() + rt.writeTimeoutNanos)) {
            writeTimedOut();
            throw new IOException("the client did not take the response within the write timeout");
        }
        if (!stream.isActive()) {
            output.discard();
            throw new IOException("the stream was closed or reset by the client");
        }
    }

    /** On the loop: the stream's writability changed, or the stream closed. */
    void writabilityChanged() {
        writeGate.changed();
    }

    /** On the loop: the stream is gone; a response not completed can no longer be. */
    void streamClosed() {
        if (!completed) {
            output.discard();
            completed = true;
            clientWatch.gone();
        }
        body.fail(new IOException("the stream was closed or reset before the request body ended"));
        writabilityChanged();
    }

    private void runOnLoop(Runnable task) {
        if (stream.eventLoop().inEventLoop()) {
            task.run();
        } else {
            stream.eventLoop().execute(task);
        }
    }

    /**
     * As {@link #runOnLoop(Runnable)} for a task that owns {@code content}: a loop that refuses the
     * task (the server has stopped) would never release it, so it is released here.
     */
    private void runOnLoop(ByteBuf content, Runnable task) {
        try {
            runOnLoop(task);
        } catch (RejectedExecutionException stopped) {
            content.release();
            throw stopped;
        }
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("the response is already committed");
        }
    }

    @Override
    public String toString() {
        return request.method + " " + request.target + " -> " + status + " " + HttpStatus.reasonPhrase(status) + " (h2)";
    }
}
