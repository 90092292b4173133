package dev.saker.server.http1;

import dev.saker.server.connection.Connection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.HttpStatus;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.TimeoutKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection: accumulates input, parses heads, runs one exchange at a time (pipelined
 * requests wait in the buffer, so responses go out in order), frames and drains request bodies,
 * writes responses, enforces timeouts and limits. Everything here runs on the connection's event
 * loop; other threads reach it only through {@link #runOnLoop}. Output is flushed once per read
 * batch, or at the end of a task that came from another thread.
 */
public final class Http1Connection extends ChannelInboundHandlerAdapter implements Connection {

    private static final Logger log = LoggerFactory.getLogger(Http1Connection.class);

    private static final int IDLE = 0;
    private static final int HEAD = 1;
    private static final int EXCHANGE = 2;
    private static final int DRAIN = 3;
    private static final int CLOSED = 4;

    /** Streamed chunks a writer may have queued for the loop before it waits. */
    private static final int MAX_QUEUED_CHUNKS = 8;
    private static final long WRITER_RECHECK_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);

    private final Http1Runtime rt;
    private final LoopContext loopContext;
    private final HeadParser parser;
    private final RequestHead head = new RequestHead();
    private final RequestBodyReader body;
    private final Http1Exchange exchange;
    private final Runnable handlerTask = this::runHandler;
    /** Position in the loop's connection list, kept by {@link LoopContext}. */
    private int loopSlot = -1;

    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private int state = IDLE;
    private long stateSince;
    private long openedAt;
    private boolean admitted;
    private int requests;
    private boolean inRead;
    private boolean processing;
    private boolean needsFlush;
    private volatile boolean inputClosed;
    private CloseReason closeReason;
    private ByteBuf headBuf;
    /** The TLS session under this connection, or null on cleartext. */
    private SSLSession sslSession;

    // request body: see RequestBodyReader
    // response on the wire
    private boolean headWritten;
    private boolean closeAfter;
    private CloseReason closeAfterReason;
    private boolean chunkedResponse;
    private boolean bodyAllowed;
    private boolean crlfOwed;
    private long declaredLength;
    private long streamedBytes;
    private long unwritableSince;

    // writers off the loop
    private final java.util.concurrent.locks.ReentrantLock writeLock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.Condition writable = writeLock.newCondition();
    /** Writers off the loop waiting in {@link #awaitWritable()}; changed under {@code writeLock}, read by the loop. */
    private volatile int waitingWriters;
    private volatile boolean closedFlag;
    private final java.util.concurrent.atomic.AtomicInteger queuedChunks = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.ConcurrentLinkedQueue<PendingChunk> pendingChunks =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean chunkDrainScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable chunkDrain = this::drainChunks;
    private boolean exchangeOpen;
    /** When the connection closed under an async exchange that is still open, or 0. */
    private long abandonedSince;
    /**
     * The generation of the exchange whose handler is running or queued, or -1. Compared and reset
     * atomically: a worker finishing request n must not clear the mark of request n+1, which the
     * loop may already have begun on the same connection.
     */
    private final java.util.concurrent.atomic.AtomicInteger handlerGeneration =
            new java.util.concurrent.atomic.AtomicInteger(-1);
    /** A non-blocking writer's callback, run on the loop when the connection is writable again. */
    private Runnable writableTask;

    Http1Connection(Http1Runtime rt, LoopContext loopContext) {
        this.rt = rt;
        this.loopContext = loopContext;
        this.parser = new HeadParser(rt.config.maxHeadSize(), rt.config.maxHeaderCount(), rt.config.allowBareLf());
        this.body = new RequestBodyReader(this, rt);
        this.exchange = new Http1Exchange(this, head);
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            // Installed after the channel became active (after a TLS handshake): no channelActive follows.
            activate();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!admitted) {
            activate();
        }
    }

    private void activate() {
        // Never refused here: at maxConnections the listeners stop accepting instead (AcceptGate).
        rt.stats.connectionOpened();
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        sslSession = tls == null ? null : tls.engine().getSession();
        admitted = true;
        openedAt = System.nanoTime();
        stateSince = openedAt;
        loopContext.add(this);
        if (rt.draining()) {
            closeNow(CloseReason.SHUTDOWN);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        rt.stats.received(in.readableBytes());
        if (state == CLOSED) {
            in.release();
            return;
        }
        cumulate(in);
        inRead = true;
        process();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        body.readBatchDone();
        flushIfNeeded();
        if (cumulation != null) {
            if (!cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            } else if (cumulation.refCnt() == 1) {
                cumulation.discardSomeReadBytes();
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            process();
            flushIfNeeded();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            unwritableSince = 0;
            writersMayProceed();
        } else {
            unwritableSince = System.nanoTime();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = CLOSED;
        if (admitted) {
            // Counted before writers are woken: a writer that learns of the close sees it counted.
            rt.stats.connectionClosed(closeReason == null ? CloseReason.CLIENT : closeReason, System.nanoTime() - openedAt);
        }
        closedFlag = true;
        writersMayProceed();
        if (!admitted) {
            return;
        }
        body.connectionClosed();
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        // An open exchange ends when its response completes (the write sees CLOSED). One whose
        // handler already returned, leaving it async, may still be completed by another thread that
        // reads the request: the connection stays on the loop's list and the sweep ends the
        // exchange if it is still open a keep-alive timeout later, so a forgotten async response
        // cannot hold its buffers forever.
        if (!exchangeOpen) {
            exchange.releaseBodyLeftovers();
            loopContext.remove(this);
        } else if (handlerGeneration.get() != exchange.generation()) {
            abandonedSince = System.nanoTime();
        } else {
            loopContext.remove(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection {} broke: {}", ctx.channel(), cause.toString());
        } else {
            log.debug("connection {} failed", ctx.channel(), cause);
        }
        closeNow(CloseReason.RESET);
    }

    // ---------------------------------------------------------------- input

    private void cumulate(ByteBuf in) {
        if (cumulation == null) {
            cumulation = in;
            return;
        }
        if (!cumulation.isReadable()) {
            // Everything was taken (a body handed to its reader as slices): no copy into it, the new
            // read becomes the input; the slices keep the old buffer alive as long as they need it.
            cumulation.release();
            cumulation = in;
            return;
        }
        if (state == EXCHANGE || state == DRAIN) {
            // Body bytes behind unread body bytes: chain the read instead of copying both into a
            // grown buffer (a large upload would be copied again on every read). Past 16 pieces the
            // composite consolidates, so tiny reads cannot pile up as thousands of buffers.
            CompositeByteBuf chain;
            if (cumulation instanceof CompositeByteBuf) {
                chain = (CompositeByteBuf) cumulation;
            } else {
                chain = ctx.alloc().compositeBuffer();
                chain.addComponent(true, cumulation);
                cumulation = chain;
            }
            chain.addComponent(true, in);
            return;
        }
        int incoming = in.readableBytes();
        // Growing in place may move memory: only when nothing else (an exchange, a body slice) holds it.
        if (cumulation.writableBytes() >= incoming
                || (cumulation.refCnt() == 1 && cumulation.maxWritableBytes() >= incoming)) {
            cumulation.writeBytes(in);
            in.release();
            return;
        }
        ByteBuf merged = ctx.alloc().buffer(cumulation.readableBytes() + incoming);
        merged.writeBytes(cumulation).writeBytes(in);
        cumulation.release();
        in.release();
        cumulation = merged;
    }

    /** The next head is parsed from one contiguous buffer: copies what is left of a body chain. */
    private void flattenInput() {
        ByteBuf flat = ctx.alloc().buffer(cumulation.readableBytes());
        flat.writeBytes(cumulation);
        cumulation.release();
        cumulation = flat;
    }

    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            processInput();
        } finally {
            processing = false;
        }
    }

    private void processInput() {
        while (true) {
            switch (state) {
                case EXCHANGE:
                    body.onInput();
                    if (state != EXCHANGE) {
                        // A consumer on the loop answered inside onInput: go on with what is buffered
                        // (a body to drain, the next pipelined request) instead of waiting for a read.
                        continue;
                    }
                    pauseIfBacklogged();
                    return;
                case DRAIN:
                    CloseReason drainFailed = body.drain(cumulation);
                    if (drainFailed != null) {
                        if (drainFailed == CloseReason.CLIENT) {
                            closeAfterFlush(drainFailed);
                        } else {
                            closeNow(drainFailed);
                        }
                        return;
                    }
                    if (!body.ended()) {
                        return;
                    }
                    state = IDLE;
                    stateSince = System.nanoTime();
                    break;
                case CLOSED:
                    return;
                default:
                    if (cumulation == null || !cumulation.isReadable()) {
                        if (inputClosed) {
                            // The response just written by a worker's task may not be flushed yet.
                            closeAfterFlush(CloseReason.CLIENT);
                        }
                        return;
                    }
                    if (cumulation instanceof CompositeByteBuf) {
                        flattenInput();
                    }
                    if (state == IDLE) {
                        state = HEAD;
                        stateSince = System.nanoTime();
                        head.reset();
                        parser.reset();
                    }
                    boolean complete;
                    try {
                        complete = parser.parse(cumulation, head);
                    } catch (BadRequestException e) {
                        rejectHead(e, CloseReason.PARSE_ERROR);
                        return;
                    }
                    if (!complete) {
                        if (inputClosed) {
                            closeAfterFlush(CloseReason.CLIENT);
                        }
                        return;
                    }
                    startExchange();
                    break;
            }
        }
    }

    private void pauseIfBacklogged() {
        if (!body.consumerWaiting() && cumulation != null && cumulation.readableBytes() > rt.inputHighWater
                && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    void pauseReading() {
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    void resumeReading() {
        if (!ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    // ---------------------------------------------------------------- exchange

    private void startExchange() {
        headBuf = cumulation.retain();
        cumulation.skipBytes(head.length);
        requests++;
        state = EXCHANGE;
        exchangeOpen = true;
        stateSince = System.nanoTime();
        rt.stats.requestStarted();

        body.begin(head);
        headWritten = false;
        closeAfter = false;
        closeAfterReason = null;
        crlfOwed = false;
        streamedBytes = 0;
        exchange.begin();

        long max = rt.config.maxRequestBodySize();
        if (max >= 0 && head.contentLength > max) {
            rt.stats.parseError("body_too_large");
            closeAfter(CloseReason.PARSE_ERROR);
            exchange.fail(413, true);
            return;
        }
        // Set before the hand-off: a handler waiting in the pool's queue counts as running.
        handlerGeneration.set(exchange.generation());
        if (rt.dispatcher.inline()) {
            runHandler();
            return;
        }
        try {
            loopContext.dispatch(handlerTask);
        } catch (RejectedExecutionException e) {
            handlerGeneration.set(-1);
            rt.stats.requestRejected();
            exchange.fail(503, true);
        }
    }

    private void runHandler() {
        int generation = exchange.generation();
        try {
            invokeHandler(generation);
        } finally {
            handlerGeneration.compareAndSet(generation, -1);
        }
    }

    private void invokeHandler(int generation) {
        // A completed response lets the loop begin the next pipelined request on the same exchange
        // object while this thread is still here: act only if this request is still the current one.
        try {
            rt.handler.handle(exchange);
            if (exchange.handlerLeftOpen(generation, false)) {
                exchange.finishIfOpen();
            }
        } catch (BadRequestException e) {
            if (exchange.handlerLeftOpen(generation, true)) {
                exchange.fail(e.status(), true);
            }
        } catch (Throwable t) {
            log.debug("handler failed on {}", exchange, t);
            if (exchange.handlerLeftOpen(generation, true)) {
                exchange.fail(500, false);
            }
        }
    }

    /** Ends the current exchange on the loop once its response is fully handed to the channel. */
    private void responseDone() {
        endExchange();
        if (state == CLOSED) {
            return;
        }
        if (closeAfter || rt.draining()) {
            closeAfterFlush(closeAfter ? closeAfterReason : CloseReason.SHUTDOWN);
            return;
        }
        if (!body.ended()) {
            state = DRAIN;
            body.startDrain();
        } else {
            state = IDLE;
        }
        stateSince = System.nanoTime();
        resumeReading();
        process();
    }

    private void endExchange() {
        if (!exchangeOpen) {
            return;
        }
        exchangeOpen = false;
        writableTask = null;
        rt.stats.requestFinished(exchange.status());
        if (headBuf != null) {
            headBuf.release();
            headBuf = null;
        }
        if (abandonedSince != 0) {
            // A closed connection kept on the loop's list for its abandoned exchange: done now.
            loopContext.remove(this);
        }
        body.exchangeEnded();
        exchange.releaseBodyLeftovers();
    }

    /** Called on the loop when a handler failed after committing: the response cannot be finished. */
    void abortAfterHandlerError() {
        endExchange();
        if (state != CLOSED) {
            closeAfterFlush(CloseReason.HANDLER_ERROR);
        }
    }

    // ---------------------------------------------------------------- request body

    void requestBody(BodyConsumer consumer) {
        body.read(consumer);
    }

    /** On the loop: a blocking reader's first read; from now on body bytes are pushed to it. */
    void subscribeBody(BlockingBodyStream stream) {
        body.subscribe(stream);
    }

    /** On the loop: the subscribed reader drained its inbox enough to take more. */
    void bodyCredit() {
        body.credit();
    }

    HttpHeaders requestTrailers() {
        return body.trailers();
    }

    /** @return whether {@code 100 Continue} went out (not once a response has started) */
    boolean sendContinue() {
        if (headWritten) {
            return false;
        }
        write(Unpooled.wrappedBuffer(ResponseEncoder.CONTINUE));
        flushIfNeededNow();
        return true;
    }

    /** The request body broke: the connection cannot be reused after this response. */
    void bodyBroken() {
        closeAfter(CloseReason.PARSE_ERROR);
    }

    boolean inExchange() {
        return state == EXCHANGE;
    }

    boolean inReadBatch() {
        return inRead;
    }

    /** @return the buffered input (may be {@code null}) */
    ByteBuf input() {
        return cumulation;
    }

    boolean inputClosed() {
        return inputClosed;
    }

    // ---------------------------------------------------------------- response

    /** Writes a whole response (head and body in as few buffers as possible) and ends the exchange. */
    void writeWholeResponse(Http1Exchange ex, ByteBuf content, byte[] array) {
        if (state != EXCHANGE) {
            if (content != null) {
                content.release();
            }
            if (state == CLOSED) {
                endExchange();
            }
            return;
        }
        int status = ex.status();
        long length = content != null ? content.readableBytes() : array != null ? array.length : 0;
        decideClose(ex);
        bodyAllowed = !HttpStatus.isBodyless(status) && !ex.isHead();
        long framing = status == 204 || status == 304 ? ResponseEncoder.NO_LENGTH : length;
        if (ex.isHead() && framing >= 0) {
            // HEAD: the length a GET would have, when the handler declared it (C04).
            long declared = declaredLength(ex);
            framing = declared >= 0 ? declared : length;
        }
        boolean inline = bodyAllowed && (array != null || length <= 1024);
        ByteBuf out = ctx.alloc().ioBuffer(256 + (inline ? (int) length : 0));
        ResponseEncoder.encodeHead(out, status, ex.responseHeaders, framing, connectionField(),
                loopContext.dateLine(), rt.serverLine);
        if (inline && length > 0) {
            if (array != null) {
                out.writeBytes(array);
            } else {
                out.writeBytes(content);
            }
        }
        headWritten = true;
        write(out);
        if (content != null) {
            if (bodyAllowed && !inline && content.isReadable()) {
                write(content);
            } else {
                content.release();
            }
        }
        responseDone();
    }

    /** Hands one streamed piece (and, if {@code last}, the end) of the body to the loop. */
    void writeStreamed(Http1Exchange ex, ByteBuf chunk, boolean last) {
        if (inEventLoop()) {
            streamOnLoop(ex, chunk, last);
            return;
        }
        queuedChunks.incrementAndGet();
        pendingChunks.offer(new PendingChunk(ex, chunk, last));
        // One loop task drains whatever a writer queued meanwhile: a streamed body costs a loop
        // wake-up per burst of chunks, not per chunk.
        if (!chunkDrainScheduled.getAndSet(true)) {
            executeOnLoop(chunkDrain);
        }
    }

    /** On the loop: writes the chunks writers queued, in order, then flushes once. */
    private void drainChunks() {
        // Reset before polling: a chunk queued after this point either is polled below or schedules
        // a new drain, which runs before any task its writer submits later.
        chunkDrainScheduled.set(false);
        PendingChunk c;
        while ((c = pendingChunks.poll()) != null) {
            queuedChunks.decrementAndGet();
            streamOnLoop(c.exchange, c.chunk, c.last);
        }
        flushIfNeeded();
        writersMayProceed();
    }

    /** A streamed body chunk handed over by a writer off the loop. */
    private record PendingChunk(Http1Exchange exchange, ByteBuf chunk, boolean last) {
    }

    private void streamOnLoop(Http1Exchange ex, ByteBuf chunk, boolean last) {
        if (state != EXCHANGE) {
            if (chunk != null) {
                chunk.release();
            }
            if (last && state == CLOSED) {
                endExchange();
            }
            return;
        }
        if (!headWritten) {
            writeStreamedHead(ex);
        }
        if (chunk != null) {
            int n = chunk.readableBytes();
            if (!bodyAllowed || n == 0) {
                chunk.release();
            } else if (chunkedResponse) {
                ByteBuf header = ctx.alloc().ioBuffer(12);
                if (crlfOwed) {
                    ResponseEncoder.crlf(header);
                }
                ResponseEncoder.chunkHeader(header, n);
                write(header);
                write(chunk);
                crlfOwed = true;
            } else {
                streamedBytes += n;
                if (declaredLength >= 0 && streamedBytes > declaredLength) {
                    chunk.release();
                    log.debug("response body exceeds its declared Content-Length {}; aborting", declaredLength);
                    abortAfterHandlerError();
                    return;
                }
                write(chunk);
            }
        }
        if (last) {
            if (chunkedResponse) {
                ByteBuf end = ctx.alloc().ioBuffer(16);
                if (crlfOwed) {
                    ResponseEncoder.crlf(end);
                }
                ResponseEncoder.lastChunk(end, ex.trailers);
                write(end);
            } else if (bodyAllowed && declaredLength >= 0 && streamedBytes < declaredLength) {
                // Shorter than declared: the client cannot frame the next response.
                closeAfter(CloseReason.HANDLER_ERROR);
            }
            responseDone();
        }
    }

    private void writeStreamedHead(Http1Exchange ex) {
        int status = ex.status();
        decideClose(ex);
        declaredLength = declaredLength(ex);
        bodyAllowed = !HttpStatus.isBodyless(status) && !ex.isHead();
        long framing;
        if (!bodyAllowed) {
            framing = ex.isHead() && declaredLength >= 0 ? declaredLength : ResponseEncoder.NO_LENGTH;
        } else if (declaredLength >= 0) {
            framing = declaredLength;
        } else if (head.isHttp11()) {
            framing = ResponseEncoder.CHUNKED;
        } else {
            framing = ResponseEncoder.NO_LENGTH;
            closeAfter(CloseReason.SERVER);
        }
        chunkedResponse = framing == ResponseEncoder.CHUNKED;
        ByteBuf out = ctx.alloc().ioBuffer(256);
        ResponseEncoder.encodeHead(out, status, ex.responseHeaders, framing, connectionField(),
                loopContext.dateLine(), rt.serverLine);
        headWritten = true;
        write(out);
    }

    private static long declaredLength(Http1Exchange ex) {
        String value = ex.responseHeaders.get("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            return length >= 0 ? length : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Decides, at commit, whether the connection closes after this response. */
    private void decideClose(Http1Exchange ex) {
        String connection = ex.responseHeaders.get("Connection");
        if (connection != null && containsToken(connection, "close")) {
            closeAfter(CloseReason.SERVER);
        } else if (!head.wantsKeepAlive()) {
            closeAfter(CloseReason.SERVER);
        } else if (rt.draining()) {
            closeAfter(CloseReason.SHUTDOWN);
        } else if (inputClosed && !requestBuffered()) {
            closeAfter(CloseReason.CLIENT);
        } else if (rt.config.maxKeepAliveRequests() > 0 && requests >= rt.config.maxKeepAliveRequests()) {
            closeAfter(CloseReason.SERVER);
        } else if (!body.ended() && head.expectContinue && !body.continueSent()) {
            // The client may be holding the body back: do not wait for it to drain.
            closeAfter(CloseReason.UNREAD_BODY);
        } else if (!body.ended() && !body.chunked() && body.remaining() > rt.config.drainLimit()) {
            closeAfter(CloseReason.UNREAD_BODY);
        }
    }

    /**
     * @return whether bytes of a next (pipelined) request are already buffered after this one's
     *         body; a client that half-closed after sending them still gets their responses
     */
    private boolean requestBuffered() {
        return body.ended() && cumulation != null && cumulation.isReadable();
    }

    private void closeAfter(CloseReason reason) {
        if (!closeAfter) {
            closeAfter = true;
            closeAfterReason = reason;
        }
    }

    private int connectionField() {
        if (closeAfter) {
            return 1;
        }
        return head.isHttp11() ? 0 : 2;
    }

    private static boolean containsToken(String value, String token) {
        int n = value.length() - token.length();
        for (int i = 0; i <= n; i++) {
            if (value.regionMatches(true, i, token, 0, token.length())) {
                return true;
            }
        }
        return false;
    }

    /** Answers a malformed head (or a head timeout) without running a handler, then closes. */
    private void rejectHead(BadRequestException e, CloseReason reason) {
        rt.stats.parseError(e.reason());
        rt.stats.responseSent(e.status());
        ByteBuf out = ctx.alloc().ioBuffer(192);
        head.reset();
        ResponseEncoder.encodeHead(out, e.status(), NoHeaders.INSTANCE, 0, 1, loopContext.dateLine(), rt.serverLine);
        write(out);
        closeAfterFlush(reason);
    }

    private void write(ByteBuf buf) {
        rt.stats.sent(buf.readableBytes());
        ctx.write(buf, ctx.voidPromise());
        needsFlush = true;
    }

    private void flushIfNeeded() {
        if (!inRead) {
            flushIfNeededNow();
        }
    }

    private void flushIfNeededNow() {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    // ---------------------------------------------------------------- threads

    boolean inEventLoop() {
        return ctx.executor().inEventLoop();
    }

    /** Runs {@code task} on this connection's loop (now, if already there) and flushes after it. */
    void runOnLoop(Runnable task) {
        if (inEventLoop()) {
            try {
                task.run();
            } finally {
                flushIfNeeded();
            }
            return;
        }
        executeOnLoop(() -> {
            try {
                task.run();
            } finally {
                flushIfNeeded();
            }
        });
    }

    /**
     * Queues {@code task} on the loop. Once the loop has shut down (server stopped while a handler
     * was still running) the channel is closed, so the task runs here: it only releases what the
     * late response holds.
     */
    private void executeOnLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException loopGone) {
            task.run();
        }
    }

    /**
     * Blocks a writer off the loop while the client is not keeping up. Waits on a
     * {@link java.util.concurrent.locks.Condition}, not a monitor: a virtual thread parks without
     * pinning its carrier on JDK 21 to 23 (JEP 491 removed monitor pinning only in JDK 24).
     */
    void awaitWritable() throws IOException {
        if (inEventLoop()) {
            return;
        }
        if (!writableWithoutWaiting() && !closedFlag) {
            writeLock.lock();
            try {
                // Counted before the state is checked; the loop changes the state before it reads
                // the count (wakeWriters): one of the two sees the other.
                waitingWriters++;
                while (!closedFlag && (queuedChunks.get() > MAX_QUEUED_CHUNKS || !ctx.channel().isWritable())) {
                    // Bounded: a safety net, the loop signals as soon as there is room.
                    writable.awaitNanos(WRITER_RECHECK_NANOS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting to write the response");
            } finally {
                waitingWriters--;
                writeLock.unlock();
            }
        }
        if (closedFlag) {
            throw new IOException("connection closed while writing the response");
        }
    }

    /** @return whether a writer off the loop could hand over more output now without waiting */
    boolean writableWithoutWaiting() {
        return !closedFlag && queuedChunks.get() <= MAX_QUEUED_CHUNKS && ctx.channel().isWritable();
    }

    /** On the loop: runs {@code task} now if writable, else once the connection becomes writable. */
    void whenWritable(Runnable task) {
        if (writableWithoutWaiting() || state == CLOSED) {
            task.run();
        } else {
            writableTask = task;
        }
    }

    private void runWritableTask() {
        Runnable task = writableTask;
        if (task != null && (writableWithoutWaiting() || state == CLOSED)) {
            writableTask = null;
            task.run();
        }
    }

    /** Room appeared (or the connection closed): lets blocking and non-blocking writers go on. */
    private void writersMayProceed() {
        wakeWriters();
        runWritableTask();
    }

    /**
     * Wakes writers waiting for room, but only when there is room (or the connection closed): after
     * each chunk the loop writes, a writer still facing a full socket would only wake to wait again.
     */
    private void wakeWriters() {
        if (waitingWriters == 0 || (!closedFlag && !writableWithoutWaiting())) {
            return;
        }
        writeLock.lock();
        try {
            writable.signalAll();
        } finally {
            writeLock.unlock();
        }
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    int inputHighWater() {
        return rt.inputHighWater;
    }

    int responseBufferSize() {
        return rt.config.responseBufferSize();
    }

    InetSocketAddress remoteAddress() {
        return (InetSocketAddress) ctx.channel().remoteAddress();
    }

    SSLSession sslSession() {
        return sslSession;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) ctx.channel().localAddress();
    }

    // ---------------------------------------------------------------- closing and time

    private void closeNow(CloseReason reason) {
        if (state == CLOSED && closeReason != null) {
            return;
        }
        if (closeReason == null) {
            closeReason = reason;
        }
        state = CLOSED;
        if (needsFlush) {
            // A complete response written in this read batch (before, say, a broken body being
            // drained) is still delivered; then the connection closes.
            needsFlush = false;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void closeAfterFlush(CloseReason reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        state = CLOSED;
        needsFlush = false;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public int loopSlot() {
        return loopSlot;
    }

    @Override
    public void loopSlot(int slot) {
        loopSlot = slot;
    }

    @Override
    public void shutdownIfIdle() {
        if (state == IDLE || state == DRAIN) {
            closeNow(CloseReason.SHUTDOWN);
        }
    }

    @Override
    public void forceClose() {
        closeNow(CloseReason.SHUTDOWN);
    }

    @Override
    public void checkTimeouts(long now) {
        if (abandonedSince != 0 && state == CLOSED) {
            if (!exchangeOpen) {
                loopContext.remove(this);
            } else if (now - abandonedSince > rt.keepAliveTimeoutNanos) {
                endExchange();
            }
            return;
        }
        // First, and in every state: a connection closing after a final response it cannot deliver
        // (the client does not read) is CLOSED already but still holds that output.
        if (unwritableSince != 0 && now - unwritableSince > rt.writeTimeoutNanos) {
            unwritableSince = 0;
            rt.stats.timeout(TimeoutKind.WRITE);
            if (closeReason == null) {
                closeReason = CloseReason.WRITE_TIMEOUT;
            }
            state = CLOSED;
            ctx.close();
            return;
        }
        if (state == CLOSED) {
            return;
        }
        long age = now - stateSince;
        switch (state) {
            case IDLE:
                if (requests == 0 ? age > rt.headTimeoutNanos : age > rt.keepAliveTimeoutNanos) {
                    rt.stats.timeout(requests == 0 ? TimeoutKind.HEAD : TimeoutKind.KEEP_ALIVE);
                    closeNow(requests == 0 ? CloseReason.HEAD_TIMEOUT : CloseReason.KEEP_ALIVE_TIMEOUT);
                }
                break;
            case HEAD:
                if (age > rt.headTimeoutNanos) {
                    rt.stats.timeout(TimeoutKind.HEAD);
                    rejectHead(new BadRequestException(408, "head_timeout", "request head not received in time"),
                            CloseReason.HEAD_TIMEOUT);
                    flushIfNeededNow();
                }
                break;
            case EXCHANGE:
                if (inputClosed && !headWritten && age > rt.keepAliveTimeoutNanos) {
                    // The client half-closed and no response has started for a whole idle period: a
                    // response that never comes (a forgotten async exchange) must not hold the socket.
                    rt.stats.timeout(TimeoutKind.KEEP_ALIVE);
                    closeNow(CloseReason.CLIENT);
                    break;
                }
                if (body.readTimedOut(now)) {
                    rt.stats.timeout(TimeoutKind.BODY_READ);
                    closeAfter(CloseReason.BODY_READ_TIMEOUT);
                    body.fail(new BadRequestException(408, "body_timeout", "request body stalled"));
                    flushIfNeededNow();
                }
                break;
            case DRAIN:
                if (age > rt.bodyReadTimeoutNanos) {
                    rt.stats.timeout(TimeoutKind.BODY_READ);
                    closeNow(CloseReason.BODY_READ_TIMEOUT);
                }
                break;
            default:
                break;
        }
    }
}
