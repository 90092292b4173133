package dev.saker.servlet.response;

import dev.saker.server.http.HttpExchange;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
 * The container's {@link HttpServletResponse}: the output stream or writer, errors and redirects,
 * trailers, URL rewriting and the end of the response (finish, abort, end actions), over its head
 * ({@link ResponseHead}: status, headers, content type) and body buffer ({@link ResponseBuffer}).
 */
public final class SakerResponse extends ResponseBuffer {

    private static final int NONE = 0;
    private static final int STREAM = 1;
    private static final int WRITER = 2;

    final ResponseOwner request;
    private int outputMode = NONE;
    private SakerOutputStream stream;
    private ResponseWriter writer;
    private int errorStatus;
    private String errorMessage;
    private List<Runnable> endActions;

    public SakerResponse(ResponseOwner request, HttpExchange exchange) {
        super(request.lifetime(), request.host(), exchange);
        this.request = request;
    }

    @Override
    void flushWriterChars() {
        if (writer != null) {
            writer.flushChars();
        }
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
        resume();
        errorStatus = 0;
    }

    /** Ends the response: sends what is buffered, whole if nothing was committed yet, or aborts it. */
    public void finish() throws IOException {
        if (finished()) {
            return;
        }
        try {
            if (aborting()) {
                abortNow();
            } else {
                send();
            }
        } finally {
            runEndActions();
        }
    }

    /**
     * Ends the response as {@code 101 Switching Protocols} and hands the connection to
     * {@code protocol} (see {@link ResponseBuffer#sendSwitching}).
     *
     * @return false when the response was committed, aborted or given an error status: it is not
     *         switched and ends as usual ({@link #finish()})
     */
    public boolean switchProtocols(dev.saker.server.connection.UpgradedProtocol protocol) {
        if (finished() || aborting() || errorStatus != 0) {
            return false;
        }
        boolean switched = sendSwitching(protocol);
        if (switched) {
            runEndActions();
        }
        return switched;
    }

    /**
     * Marks the response as failed: nothing more is written, and when the request ends
     * ({@link #finish()}, last, as the exchange must stay valid until then) the connection is
     * aborted, its body unterminated, so the client cannot take a truncated body for a complete one
     * (what Tomcat and Jetty do).
     */
    public void abort(Throwable cause) {
        if (finished()) {
            return;
        }
        abortOutput(cause);
    }

    /**
     * The client left while the response was held open: the {@code onError} of a WriteListener set
     * on the response, for the async cycle to run before its own listeners, or {@code null} when
     * there is none (or it has heard of a failure already).
     */
    public Runnable writeListenerClientGone(Throwable cause) {
        SakerOutputStream s = stream;
        return s == null ? null : s.clientGone(cause);
    }

    /**
     * @return whether a WriteListener set on the response has heard of a failure already (its own
     *         write failed): that failure is on its way to the async cycle, WriteListener first
     */
    public boolean writeListenerFailed() {
        SakerOutputStream s = stream;
        return s != null && s.nonBlockingFailed();
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
    public void flushBuffer() throws IOException {
        lifetime.check();
        if (writer != null) {
            writer.flushChars();
        }
        flushToClient();
    }

    @Override
    public void reset() {
        lifetime.check();
        if (headCommitted()) {
            resetRefused();
            throw new IllegalStateException("reset after the response was committed");
        }
        resetBuffer();
        resetHead();
        outputMode = NONE;
        writer = null;
    }

    // ------------------------------------------------------------------ errors and redirects

    @Override
    public void sendError(int sc, String msg) throws IOException {
        lifetime.check();
        if (headCommitted()) {
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
        if (headCommitted()) {
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

    // ------------------------------------------------------------------ trailers

    @Override
    public void setTrailerFields(Supplier<Map<String, String>> supplier) {
        lifetime.check();
        if (headCommitted()) {
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
