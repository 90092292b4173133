package dev.saker.servlet.response;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.MutableHeaders;
import io.netty.buffer.Unpooled;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The container's {@link HttpServletResponse}: status, headers and a body buffer (8 KiB by default)
 * that commits the response when it first fills or is flushed. A response that completes while
 * everything still fits in the buffer goes out whole with a {@code Content-Length}, in one task.
 */
public final class SakerResponse extends ResponseHead {

    private static final int NONE = 0;
    private static final int STREAM = 1;
    private static final int WRITER = 2;

    final ResponseOwner request;
    private final HttpExchange exchange;
    private byte[] buffer;
    private int count;
    private int bufferSize = 8192;
    private long written;
    private boolean committed;
    private boolean finished;
    private boolean suspended;
    private boolean bodyClosed;
    private int outputMode = NONE;
    private SakerOutputStream stream;
    private ResponseWriter writer;
    private OutputStream engineOut;
    private Supplier<Map<String, String>> trailers;
    private int errorStatus;
    private String errorMessage;
    private List<Runnable> endActions;

    public SakerResponse(ResponseOwner request, HttpExchange exchange) {
        super(request.lifetime(), request.host());
        this.request = request;
        this.exchange = exchange;
    }

    @Override
    boolean headCommitted() {
        return committed;
    }

    @Override
    boolean ended() {
        return finished;
    }

    @Override
    boolean secureRequest() {
        return request.isSecure();
    }

    @Override
    boolean writerInUse() {
        return outputMode == WRITER;
    }

    // ------------------------------------------------------------------ container side

    /** @return the status given to {@code sendError}, or 0 */
    public int errorStatus() {
        return errorStatus;
    }

    public String errorMessage() {
        return errorMessage;
    }

    /** Clears the error state before the error page writes its own response. */
    public void clearErrorForErrorPage() {
        suspended = false;
        errorStatus = 0;
    }

    /** Suspends output: later writes are ignored (after sendError or sendRedirect, until finish). */
    void suspend() {
        suspended = true;
    }

    /** Ends the response: sends what is buffered, whole if nothing was committed yet. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        try {
            send();
        } finally {
            runEndActions();
        }
    }

    /**
     * Aborts the response after a failure: nothing more is sent, and a response already committed
     * ends with the connection closed and its body unterminated, so the client cannot take the
     * truncated body for a complete one (what Tomcat and Jetty do).
     */
    public void abort(Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        buffer = null;
        count = 0;
        try {
            exchange.abort(cause);
        } finally {
            runEndActions();
        }
    }

    /**
     * Runs {@code action} once when the response is finished or aborted, whichever way the request
     * ends: container clean-up such as releasing a compressor's native memory.
     */
    public void whenEnded(Runnable action) {
        if (endActions == null) {
            endActions = new ArrayList<>(2);
        }
        endActions.add(action);
    }

    private void runEndActions() {
        List<Runnable> actions = endActions;
        endActions = null;
        if (actions != null) {
            for (Runnable action : actions) {
                action.run();
            }
        }
    }

    private void send() throws IOException {
        if (writer != null) {
            writer.flushChars();
        }
        finished = true;
        if (!committed && trailers == null) {
            committed = true;
            applyHead(exchange);
            exchange.send(count == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(buffer, 0, count));
            buffer = null;
            count = 0;
            return;
        }
        commit();
        if (count > 0) {
            engineOut.write(buffer, 0, count);
            count = 0;
        }
        if (trailers != null) {
            Map<String, String> fields = trailers.get();
            if (fields != null && !fields.isEmpty()) {
                MutableHeaders t = new MutableHeaders();
                fields.forEach(t::add);
                exchange.trailers(t);
            }
        }
        engineOut.close();
    }

    private void commit() {
        if (committed) {
            return;
        }
        committed = true;
        applyHead(exchange);
        engineOut = exchange.responseBody();
    }

    void writeBody(byte[] b, int off, int len) throws IOException {
        if (suspended || finished || bodyClosed) {
            return;
        }
        if (contentLength >= 0 && written + len > contentLength) {
            // Bytes past the declared length are not part of this response (Servlet 6.1, 5.6).
            len = (int) (contentLength - written);
        }
        ensureBuffer(count + len);
        if (count + len > bufferSize) {
            commit();
            if (count > 0) {
                engineOut.write(buffer, 0, count);
                count = 0;
            }
            if (len >= bufferSize) {
                engineOut.write(b, off, len);
            } else {
                System.arraycopy(b, off, buffer, 0, len);
                count = len;
            }
        } else {
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }
        written += len;
        if (contentLength >= 0 && written >= contentLength) {
            bodyClosed = true;
        }
    }

    void closeOutput() {
        closeBody();
    }

    /**
     * The body is complete (its declared length was written, its stream closed, or a forward
     * returned): later writes are ignored. The response is handed to the connection only when the
     * request ends ({@link #finish()}), because handing it over lets the connection reuse its state
     * for the next request while the application may still read this one.
     */
    public void closeBody() {
        if (writer != null && !bodyClosed) {
            writer.flushChars();
        }
        bodyClosed = true;
    }

    /** Grows the buffer towards {@code bufferSize} as needed: small responses stay small. */
    private void ensureBuffer(int needed) {
        int target = Math.min(Math.max(needed, 512), bufferSize);
        if (buffer == null) {
            buffer = new byte[target];
        } else if (buffer.length < target) {
            buffer = java.util.Arrays.copyOf(buffer, Math.min(bufferSize, Math.max(target, buffer.length * 2)));
        }
    }

    /** @return whether the connection takes more output without waiting (non-blocking writes) */
    boolean engineWritable() {
        return exchange.responseWritable();
    }

    /**
     * Runs {@code callback} on a container thread once the connection can take more output, with
     * {@code true} when it closed instead (the engine runs the task then too, with nothing writable).
     */
    void whenEngineWritable(Consumer<Boolean> callback) {
        exchange.onResponseWritable(() -> {
            boolean closed = !exchange.responseWritable();
            request.callbacks().execute(() -> callback.accept(closed));
        });
    }

    boolean asyncStarted() {
        return request.isAsyncStarted();
    }

    // ------------------------------------------------------------------ body

    @Override
    public ServletOutputStream getOutputStream() {
        lifetime.check();
        if (outputMode == WRITER) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        outputMode = STREAM;
        if (stream == null) {
            stream = new SakerOutputStream(this);
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        lifetime.check();
        if (outputMode == STREAM) {
            throw new IllegalStateException("getOutputStream() has already been called");
        }
        if (writer == null) {
            if (characterEncoding == null) {
                characterEncoding = defaultEncoding();
            }
            encodingSet = true;
            outputMode = WRITER;
            if (stream == null) {
                stream = new SakerOutputStream(this);
            }
            writer = new ResponseWriter(new OutputStreamWriter(new BufferSink(this), charset()), this);
        }
        return writer;
    }

    private Charset charset() {
        try {
            return Charset.forName(getCharacterEncoding());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    @Override
    public void setBufferSize(int size) {
        lifetime.check();
        if (committed || written > 0) {
            throw new IllegalStateException("setBufferSize after content was written");
        }
        bufferSize = Math.max(size, 512);
        buffer = null;
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public void flushBuffer() throws IOException {
        lifetime.check();
        if (writer != null) {
            writer.flushChars();
        }
        flushToClient();
    }

    /** Commits and hands the buffered bytes to the connection (the writer's characters are not touched). */
    void flushToClient() throws IOException {
        if (suspended || finished || bodyClosed) {
            return;
        }
        commit();
        if (count > 0) {
            engineOut.write(buffer, 0, count);
            count = 0;
        }
        engineOut.flush();
    }

    @Override
    public void resetBuffer() {
        lifetime.check();
        if (committed) {
            throw new IllegalStateException("resetBuffer after the response was committed");
        }
        count = 0;
        written = 0;
    }

    @Override
    public boolean isCommitted() {
        return committed || bodyClosed;
    }

    @Override
    public void reset() {
        lifetime.check();
        if (committed) {
            throw new IllegalStateException("reset after the response was committed");
        }
        resetBuffer();
        resetHead();
        outputMode = NONE;
        writer = null;
    }

    // ------------------------------------------------------------------ status

    @Override
    public void sendError(int sc, String msg) throws IOException {
        lifetime.check();
        if (committed) {
            throw new IllegalStateException("sendError after the response was committed");
        }
        resetBuffer();
        status = sc;
        errorStatus = sc;
        errorMessage = msg;
        suspend();
    }

    @Override
    public void sendError(int sc) throws IOException {
        sendError(sc, null);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
        lifetime.check();
        if (committed) {
            throw new IllegalStateException("sendRedirect after the response was committed");
        }
        if (clearBuffer) {
            resetBuffer();
        }
        setStatus(sc);
        setHeader("Location", resolve(location));
        if (clearBuffer) {
            suspend();
        }
    }

    private String resolve(String location) {
        if (location.startsWith("/") || location.contains("://") || location.startsWith("//")) {
            return location;
        }
        String uri = request.getRequestURI();
        int slash = uri.lastIndexOf('/');
        return uri.substring(0, slash + 1) + location;
    }

    // ------------------------------------------------------------------ headers

    @Override
    public void setTrailerFields(Supplier<Map<String, String>> supplier) {
        lifetime.check();
        if (committed) {
            throw new IllegalStateException("setTrailerFields after the response was committed");
        }
        if (request.getProtocol().equals("HTTP/1.0")) {
            throw new IllegalStateException("trailer fields need HTTP/1.1 chunked coding");
        }
        this.trailers = supplier;
    }

    @Override
    public Supplier<Map<String, String>> getTrailerFields() {
        return trailers;
    }

    // ------------------------------------------------------------------ URL rewriting (only when the context asks for it)

    @Override
    public String encodeURL(String url) {
        lifetime.check();
        return UrlRewriting.encode(url, request, host.context());
    }

    @Override
    public String encodeRedirectURL(String url) {
        return encodeURL(url);
    }
}
