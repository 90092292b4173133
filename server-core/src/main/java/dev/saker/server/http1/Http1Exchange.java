package dev.saker.server.http1;

import dev.saker.server.connection.UpgradedProtocol;
import dev.saker.server.http.ClientWatch;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.HttpStatus;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.http.RequestBody;
import dev.saker.server.http.ResponseHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSession;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HttpExchange} of one connection, reused for each of its requests. Request data comes
 * from the parsed {@link RequestHead}; response calls may come from any thread and are handed to the
 * connection's event loop, a whole response in one task.
 */
final class Http1Exchange implements HttpExchange {

    private static final Logger log = LoggerFactory.getLogger(Http1Exchange.class);

    private final Http1Connection connection;
    private final WriteGate gate;
    final RequestHead head;
    final MutableHeaders responseHeaders = new MutableHeaders();
    private final Http1RequestBody body;
    private final ResponseOutputStream output;
    private final Runnable sendOnLoop = this::sendOnLoop;
    private final Runnable upgradeOnLoop = this::upgradeOnLoop;
    private final ClientWatch clientWatch = new ClientWatch();

    private String path;
    private String rawPath;
    private String rawQuery;
    private Map<String, List<String>> query;
    private Map<String, List<String>> rawQueryMap;

    private int status;
    private boolean committed;
    // Volatile with the generation: a worker reads them after its handler returned, while the
    // loop may already have begun the next request on this reused object (see handlerLeftOpen).
    private volatile int generation;
    private volatile boolean completed;
    private volatile boolean async;
    private ByteBuf pendingBody;
    private byte[] pendingArray;
    private UpgradedProtocol pendingUpgrade;
    HttpHeaders trailers;
    private volatile String remoteUser;

    Http1Exchange(Http1Connection connection, RequestHead head) {
        this.connection = connection;
        this.gate = connection.writeGate();
        this.head = head;
        this.body = new Http1RequestBody(connection, connection.bodyReader());
        this.output = new ResponseOutputStream(connection, gate, this);
    }

    void begin() {
        // Written first: whoever sees the reset flags below also sees the new generation.
        generation++;
        status = 200;
        committed = false;
        completed = false;
        async = false;
        pendingBody = null;
        pendingArray = null;
        pendingUpgrade = null;
        trailers = null;
        remoteUser = null;
        clientWatch.reset();
        path = null;
        rawPath = null;
        rawQuery = null;
        query = null;
        rawQueryMap = null;
        responseHeaders.clear();
        output.reset();
        body.reset(head.chunked ? -1 : Math.max(head.contentLength, 0));
    }

    boolean isCompleted() {
        return completed;
    }

    @Override
    public void onClientGone(Runnable listener) {
        clientWatch.listen(listener);
    }

    /** On the loop: the client of the open exchange went away (see {@link #onClientGone}). */
    void clientGone() {
        clientWatch.gone();
    }

    /** @return the number of the request this exchange currently serves (bumped by {@link #begin()}) */
    int generation() {
        return generation;
    }

    /**
     * Called by the thread that ran the handler of request {@code gen}, after it returned or threw.
     * Once that response completes the loop may begin the next request on this object and reset
     * its flags, so they are read before the generation: a reset flag implies a newer generation.
     *
     * @param allowAsync whether an exchange the handler made async counts as left open
     * @return whether request {@code gen} is still current and its response neither completed
     *         nor (unless {@code allowAsync}) handed over with {@link #async()}
     */
    boolean handlerLeftOpen(int gen, boolean allowAsync) {
        boolean done = completed || (async && !allowAsync);
        return !done && generation == gen;
    }

    boolean isHead() {
        return head.method == Methods.HEAD;
    }

    // ---- request ----

    @Override
    public String method() {
        return head.method;
    }

    @Override
    public String rawTarget() {
        return head.target();
    }

    @Override
    public String rawPath() {
        if (rawPath == null) {
            rawPath = head.pathEnd > head.pathStart ? head.string(head.pathStart, head.pathEnd) : "/";
        }
        return rawPath;
    }

    @Override
    public String path() {
        if (path == null) {
            path = QueryDecoder.decode(rawPath(), false);
        }
        return path;
    }

    @Override
    public String rawQuery() {
        if (rawQuery == null && head.queryStart >= 0) {
            rawQuery = head.string(head.queryStart, head.targetEnd);
        }
        return rawQuery;
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        if (query == null) {
            query = QueryDecoder.parse(rawQuery(), true);
        }
        return query;
    }

    @Override
    public Map<String, List<String>> rawQueryParameters() {
        if (rawQueryMap == null) {
            rawQueryMap = QueryDecoder.parse(rawQuery(), false);
        }
        return rawQueryMap;
    }

    @Override
    public String protocol() {
        return head.isHttp11() ? "HTTP/1.1" : "HTTP/1.0";
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
        return head.host();
    }

    @Override
    public HttpHeaders requestHeaders() {
        return head;
    }

    @Override
    public RequestBody requestBody() {
        return body;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return connection.localAddress();
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
        committed = true;
        completed = true;
        pendingBody = content;
        connection.runOnLoop(sendOnLoop);
    }

    @Override
    public void send(byte[] content) {
        checkNotCommitted();
        committed = true;
        completed = true;
        pendingArray = content;
        connection.runOnLoop(sendOnLoop);
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
        status(status);
        responseHeaders.set("Location", location);
        send(Unpooled.EMPTY_BUFFER);
    }

    @Override
    public OutputStream responseBody() {
        checkNotCompleted();
        return output;
    }

    @Override
    public void trailers(HttpHeaders trailers) {
        checkNotCompleted();
        this.trailers = trailers;
    }

    /** @return whether trailer fields were set, which needs chunked coding even for a small body */
    boolean hasTrailers() {
        return trailers != null && trailers.size() > 0;
    }

    @Override
    public boolean responseWritable() {
        return gate.writableWithoutWaiting();
    }

    @Override
    public void onResponseWritable(Runnable task) {
        output.nonBlocking();
        connection.runOnLoop(() -> gate.whenWritable(task));
    }

    @Override
    public boolean committed() {
        return committed;
    }

    @Override
    public void async() {
        async = true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Over HTTP/1.1 the request must carry {@code Upgrade} and no body (a WebSocket handshake is
     * a GET without one): a body would have to be read or discarded before the new protocol's bytes,
     * and the engine does neither for the caller.
     *
     * @throws IllegalStateException also when the request has no {@code Upgrade} field or has a body
     */
    @Override
    public void upgrade(UpgradedProtocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        if (!head.isHttp11()) {
            throw new UnsupportedOperationException("an HTTP/1.0 request cannot switch protocols: Upgrade is HTTP/1.1's");
        }
        if (!head.upgrade) {
            throw new IllegalStateException("the request did not ask for a protocol switch: it has no Upgrade field");
        }
        if (head.hasBody()) {
            throw new IllegalStateException("a request with a body cannot switch protocols");
        }
        checkNotCommitted();
        status = 101;
        committed = true;
        completed = true;
        pendingUpgrade = protocol;
        connection.runOnLoop(upgradeOnLoop);
    }

    private void upgradeOnLoop() {
        UpgradedProtocol protocol = pendingUpgrade;
        pendingUpgrade = null;
        connection.switchTo(this, protocol);
    }

    /** Releases body bytes a worker took but did not read (the exchange is over). */
    void releaseBodyLeftovers() {
        body.releaseLeftovers();
    }

    /** Called by the output stream when it closes before streaming: the whole body, with a length. */
    void sendBuffered(ByteBuf whole) {
        committed = true;
        completed = true;
        pendingBody = whole;
        connection.runOnLoop(sendOnLoop);
    }

    /** Called by the output stream when it first hands bytes to the connection. */
    void markCommitted() {
        committed = true;
    }

    void markCompleted() {
        completed = true;
    }

    /** Ends the response if the handler left it open: closes a started stream, else sends an empty body. */
    void finishIfOpen() throws java.io.IOException {
        if (completed) {
            return;
        }
        if (output.used()) {
            output.close();
        } else {
            send(Unpooled.EMPTY_BUFFER);
        }
    }

    @Override
    public void abort(Throwable cause) {
        if (completed) {
            return;
        }
        log.debug("response {} aborted", this, cause);
        abortNow();
    }

    private void abortNow() {
        output.discard();
        committed = true;
        completed = true;
        connection.runOnLoop(connection::abortAfterHandlerError);
    }

    /**
     * Answers a handler failure: an error status if nothing was committed, else aborts the connection.
     */
    void fail(int errorStatus, boolean closeAfter) {
        if (completed) {
            return;
        }
        if (committed) {
            abortNow();
            return;
        }
        output.discard();
        responseHeaders.clear();
        status = errorStatus;
        if (closeAfter) {
            responseHeaders.set("Connection", "close");
        }
        committed = true;
        completed = true;
        pendingBody = Unpooled.EMPTY_BUFFER;
        connection.runOnLoop(sendOnLoop);
    }

    private void sendOnLoop() {
        ByteBuf content = pendingBody;
        byte[] array = pendingArray;
        pendingBody = null;
        pendingArray = null;
        connection.writeWholeResponse(this, content, array);
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("the response is already committed");
        }
    }

    private void checkNotCompleted() {
        if (completed) {
            throw new IllegalStateException("the response is already complete");
        }
    }

    @Override
    public String toString() {
        return head.method + " " + (head.buf == null ? "?" : rawTarget()) + " -> " + status + " "
                + HttpStatus.reasonPhrase(status);
    }
}
