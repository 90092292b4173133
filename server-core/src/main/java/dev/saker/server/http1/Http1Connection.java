package dev.saker.server.http1;

import dev.saker.server.admission.Rejection;
import dev.saker.server.connection.Connection;
import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.UpgradedProtocol;
import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.observe.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection: parses heads, runs one exchange at a time (pipelined requests wait in
 * the buffer, so responses go out in order) and moves through its states (idle, head, exchange,
 * drain, closed; upgrade while the body of a request that switches protocols is read, after which
 * it leaves the pipeline: see {@link Http1Upgrade}). It coordinates parts that own their state: the
 * {@link InputBuffer}, the {@link RequestBodyReader}, the {@link ResponseWriter}, the
 * {@link KeepAlivePolicy}, the {@link WriteGate} for writers off the loop, and the {@link Deadlines}. Everything here runs on the
 * connection's event loop; other threads reach it only through {@link #runOnLoop} and the gate.
 * Output is flushed once per read batch, or at the end of a task that came from another thread.
 */
public final class Http1Connection extends ChannelInboundHandlerAdapter implements Connection {

    private static final Logger log = LoggerFactory.getLogger(Http1Connection.class);

    static final int IDLE = 0;
    static final int HEAD = 1;
    static final int EXCHANGE = 2;
    static final int DRAIN = 3;
    static final int CLOSED = 4;
    /** Reading the body of a request that asks for a protocol switch (see {@link UpgradeBody}). */
    static final int UPGRADE = 5;

    private final Http1Runtime rt;
    private final LoopContext loopContext;
    private final HeadParser parser;
    private final RequestHead head = new RequestHead();
    private final InputBuffer input = new InputBuffer();
    private final KeepAlivePolicy keepAlive;
    private final ResponseWriter writer;
    private final WriteGate gate = new WriteGate(this);
    private final RequestBodyReader body;
    private final Deadlines deadlines;
    private final Http1Exchange exchange;
    private final Runnable handlerTask = this::runHandler;
    /** The protocol a request may switch to, or null (TLS, or HTTP/2 off). */
    private final Http1Upgrade upgrade;
    private final UpgradeBody upgradeBody;
    /** Position in the loop's connection list, kept by {@link LoopContext}. */
    private int loopSlot = -1;

    private ChannelHandlerContext ctx;
    private int state = IDLE;
    private long openedAt;
    private boolean admitted;
    /** Closed by the server's stop ({@link #forceClose}): an exchange left open ends with the connection. */
    private boolean stopping;
    private int requests;
    private boolean inRead;
    private boolean processing;
    private volatile boolean inputClosed;
    private CloseReason closeReason;
    private ByteBuf headBuf;
    /** The TLS session under this connection, or null on cleartext. */
    private SSLSession sslSession;
    private boolean exchangeOpen;
    /** Whether the current exchange holds a concurrency permit of admission control, taken at {@link #permitAt}. */
    private boolean holdsPermit;
    private long permitAt;
    /** When the current request's first byte was parsed (for the access log). */
    private long requestStartedAt;
    /** Why the engine answered the current exchange itself, or null. */
    private String exchangeReason;
    /**
     * The generation of the exchange whose handler is running or queued, or -1. Compared and reset
     * atomically: a worker finishing request n must not clear the mark of request n+1, which the
     * loop may already have begun on the same connection.
     */
    private final AtomicInteger handlerGeneration = new AtomicInteger(-1);

    Http1Connection(Http1Runtime rt, LoopContext loopContext, Http1Upgrade upgrade) {
        this.rt = rt;
        this.upgrade = upgrade;
        this.upgradeBody = upgrade == null ? null : new UpgradeBody(rt);
        this.loopContext = loopContext;
        this.parser = new HeadParser(rt.config.maxHeadSize(), rt.config.maxHeaderCount(), rt.config.allowBareLf());
        this.keepAlive = new KeepAlivePolicy(rt);
        this.writer = new ResponseWriter(rt, loopContext, keepAlive);
        this.body = new RequestBodyReader(this, rt, input);
        this.deadlines = new Deadlines(this, rt, gate, body, writer);
        this.exchange = new Http1Exchange(this, head);
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        input.attach(ctx);
        writer.attach(ctx);
        gate.attach(ctx);
        if (ctx.channel().isActive()) {
            // An accepted channel is active from the start; one installed after a TLS handshake
            // sees no channelActive at all.
            admit();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!admitted) {
            admit();
        }
    }

    private void admit() {
        Long acceptedAt = ctx.channel().attr(ACCEPTED_AT).get();
        if (acceptedAt == null) {
            // Never refused here: at maxConnections the listeners stop accepting instead (AcceptGate).
            rt.stats.connectionOpened();
            long now = System.nanoTime();
            activate(now, now);
        } else {
            // A stage before this one (the TLS handshake) counted the connection: take it over.
            activate(acceptedAt, System.nanoTime());
        }
    }

    private void activate(long acceptedAt, long now) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        sslSession = tls == null ? null : tls.engine().getSession();
        admitted = true;
        openedAt = acceptedAt;
        deadlines.opened(acceptedAt, now);
        loopContext.add(this);
        // Accepted just before a graceful shutdown began: like any idle connection, it closes once
        // idle for the drain grace (the sweep), so the request its client is sending is served.
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        rt.stats.received(in.readableBytes());
        if (state == CLOSED) {
            in.release();
            return;
        }
        input.add(in, state == EXCHANGE || state == DRAIN);
        inRead = true;
        process();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        body.readBatchDone();
        flushIfNeeded();
        input.readBatchDone();
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
        gate.writabilityChanged(ctx.channel().isWritable());
        // A non-blocking writer's task may have written on the loop just now: nothing else flushes it.
        flushIfNeeded();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = CLOSED;
        if (log.isDebugEnabled()) {
            log.debug("connection {} closed ({}) after {} request(s)", ctx.channel(),
                    closeReason == null ? CloseReason.CLIENT : closeReason, requests);
        }
        if (admitted) {
            // Counted before writers are woken: a writer that learns of the close sees it counted.
            rt.stats.connectionClosed(closeReason == null ? CloseReason.CLIENT : closeReason, System.nanoTime() - openedAt);
        }
        gate.closed();
        if (!admitted) {
            return;
        }
        body.connectionClosed();
        if (exchangeOpen) {
            exchange.clientGone();
        }
        input.release();
        if (upgradeBody != null) {
            upgradeBody.clear();
        }
        if (!exchangeOpen && headBuf != null) {
            // The head of a request whose body was being read for a protocol switch.
            headBuf.release();
            headBuf = null;
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
            deadlines.abandoned(System.nanoTime());
            if (stopping) {
                // The server stops: its sweep will not run again, so the abandoned exchange ends now.
                sweepAbandoned(true);
            }
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
                    if (!body.consumerWaiting()) {
                        // Unread body input past the high-water mark: read no more until it is taken.
                        input.pauseIfAbove(rt.inputHighWater);
                    }
                    return;
                case DRAIN:
                    CloseReason drainFailed = body.drain();
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
                    deadlines.stateEntered(System.nanoTime());
                    break;
                case CLOSED:
                    return;
                case UPGRADE:
                    int step = inputClosed || rt.draining() ? UpgradeBody.GIVE_UP
                            : upgradeBody.scan(input.buffer(), ctx.alloc());
                    if (step == UpgradeBody.MORE) {
                        return;
                    }
                    if (step == UpgradeBody.COMPLETE) {
                        switchProtocols();
                        return;
                    }
                    upgradeBody.clear();
                    startExchange();
                    break;
                default:
                    if (!input.isReadable()) {
                        if (inputClosed) {
                            // The response just written by a worker's task may not be flushed yet.
                            closeAfterFlush(CloseReason.CLIENT);
                        }
                        return;
                    }
                    ByteBuf buf = input.forHead();
                    if (state == IDLE) {
                        state = HEAD;
                        requestStartedAt = System.nanoTime();
                        deadlines.stateEntered(requestStartedAt);
                        head.reset();
                        parser.reset();
                    }
                    boolean complete;
                    try {
                        complete = parser.parse(buf, head);
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
                    headBuf = input.takeHead(head.length);
                    if (head.upgrade && upgradeRequested()) {
                        state = UPGRADE;
                        deadlines.stateEntered(System.nanoTime());
                        break;
                    }
                    startExchange();
                    break;
            }
        }
    }

    // ---------------------------------------------------------------- protocol switch

    /** @return whether the request just parsed asks for a switch this connection may make */
    private boolean upgradeRequested() {
        if (upgrade == null || sslSession != null || !head.isHttp11() || head.connectionClose || head.expectContinue
                || head.method == Methods.CONNECT || inputClosed || rt.draining()) {
            return false;
        }
        long limit = upgrade.maxBodySize();
        long maxBody = rt.config.maxRequestBodySize();
        if (head.contentLength > limit || (maxBody >= 0 && head.contentLength > maxBody)) {
            return false;
        }
        String path = head.pathEnd > head.pathStart ? head.string(head.pathStart, head.targetEnd)
                : head.queryStart >= 0 ? "/?" + head.string(head.queryStart, head.targetEnd) : "/";
        String authority = head.authorityStart >= 0 ? head.string(head.authorityStart, head.authorityEnd)
                : head.get("Host");
        Http1Upgrade.Switch sw = upgrade.prepare(head.method, path, authority, head);
        if (sw == null) {
            return false;
        }
        upgradeBody.begin(sw, head, limit);
        return true;
    }

    /**
     * The request's body is buffered whole: this handler leaves the pipeline, handing over the
     * connection's count, and the switch serves the request in the new protocol, with every byte
     * received after it.
     */
    private void switchProtocols() {
        Http1Upgrade.Switch sw = upgradeBody.pending();
        ByteBuf requestBody = upgradeBody.take(input.buffer());
        HttpHeaders trailers = upgradeBody.trailers();
        upgradeBody.clear();
        ByteBuf rest = input.takeRest();
        headBuf.release();
        headBuf = null;
        state = CLOSED;
        loopContext.remove(this);
        Channel channel = ctx.channel();
        channel.attr(ACCEPTED_AT).set(openedAt);
        ctx.pipeline().remove(this);
        sw.switchTo(channel, loopContext, requestBody, trailers, rest, inRead);
    }

    /**
     * On the loop: a handler switched the connection with {@link Http1Exchange#upgrade}. Writes the
     * {@code 101}, ends the exchange (counted and logged with status 101), then leaves the pipeline
     * with the connection's count and hands the channel, with every byte received after the request,
     * to {@code protocol}. A connection that closed first ends the exchange only: the protocol is
     * never installed.
     */
    void switchTo(Http1Exchange ex, UpgradedProtocol protocol) {
        if (state != EXCHANGE) {
            if (state == CLOSED) {
                endExchange();
            }
            return;
        }
        writer.writeSwitching(ex);
        writer.takeFlush();
        endExchange();
        ByteBuf rest = input.takeRest();
        boolean halfClosed = inputClosed;
        state = CLOSED;
        gate.closed();
        loopContext.remove(this);
        Channel channel = ctx.channel();
        channel.attr(ACCEPTED_AT).set(openedAt);
        // The new protocol finds the socket read as usual; one that reads on demand turns this off.
        input.resumeReading();
        ctx.pipeline().remove(this);
        try {
            protocol.install(channel, rt.shared, loopContext, rest == null ? Unpooled.EMPTY_BUFFER : rest);
        } catch (Throwable t) {
            log.debug("upgraded protocol {} failed to install on {}", protocol, channel, t);
            rt.stats.connectionClosed(CloseReason.HANDLER_ERROR, System.nanoTime() - openedAt);
            channel.close();
            return;
        }
        if (halfClosed) {
            // Already seen here: the new protocol would never learn that the client sends no more.
            channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
        channel.flush();
    }

    // ---------------------------------------------------------------- exchange

    /** Runs the request whose head was just taken ({@link #headBuf}). */
    private void startExchange() {
        requests++;
        state = EXCHANGE;
        exchangeOpen = true;
        exchangeReason = null;
        deadlines.stateEntered(System.nanoTime());
        rt.stats.requestStarted();

        body.begin(head);
        writer.begin();
        keepAlive.reset();
        exchange.begin();

        long max = rt.config.maxRequestBodySize();
        if (max >= 0 && head.contentLength > max) {
            rt.stats.parseError("body_too_large");
            exchangeReason = "body_too_large";
            keepAlive.closeAfter(CloseReason.PARSE_ERROR);
            exchange.fail(413, true);
            return;
        }
        if (rt.admission != null && !admitRequest()) {
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
            exchangeReason = "rejected";
            exchange.fail(503, true);
        }
    }

    /** @return false when admission control answered the request itself (429 or 503; the connection stays) */
    private boolean admitRequest() {
        Rejection rejection = rt.admission.admitRequest(ctx.channel(), exchange.requestHeaders());
        if (rejection != null) {
            exchangeReason = rejection.reason().tag();
            exchange.status(rejection.status());
            exchange.responseHeaders().set("Retry-After", rejection.retryAfter());
            exchange.responseHeaders().set("Content-Type", "text/plain");
            exchange.send(rejection.body());
            return false;
        }
        if (rt.admission.limitsConcurrency()) {
            holdsPermit = true;
            permitAt = rt.admission.now();
        }
        return true;
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
        if (keepAlive.closesAfterResponse()) {
            closeAfterFlush(keepAlive.closeReason());
            return;
        }
        if (!body.ended()) {
            state = DRAIN;
            body.startDrain();
        } else {
            state = IDLE;
        }
        deadlines.stateEntered(System.nanoTime());
        input.resumeReading();
        process();
    }

    private void endExchange() {
        if (!exchangeOpen) {
            return;
        }
        exchangeOpen = false;
        gate.exchangeEnded();
        if (holdsPermit) {
            // Before the request counts as finished: whoever sees it finished sees its permit back.
            holdsPermit = false;
            rt.admission.requestDone(permitAt, exchange.status());
        }
        rt.stats.requestFinished(exchange.status());
        if (rt.accessLog != null) {
            rt.accessLog.finished(remoteAddress(), head.method, head.target(), exchange.protocol(), exchange.status(),
                    writer.bodyBytes(), requestStartedAt, exchangeReason, head, exchange.responseHeaders, exchange.remoteUser());
        }
        if (headBuf != null) {
            headBuf.release();
            headBuf = null;
        }
        if (deadlines.holdsAbandoned()) {
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

    /** @return the request body part (for the exchange's body views, which call it on the loop) */
    RequestBodyReader bodyReader() {
        return body;
    }

    /** @return whether {@code 100 Continue} went out (not once a response has started) */
    boolean sendContinue() {
        if (!writer.writeContinue()) {
            return false;
        }
        writer.flush();
        return true;
    }

    /** Names why the engine answers the current exchange itself (a broken body), for the access log. */
    void exchangeReason(String reason) {
        if (exchangeOpen && exchangeReason == null) {
            exchangeReason = reason;
        }
    }

    /** The request body broke: the connection cannot be reused after this response. */
    void bodyBroken() {
        keepAlive.closeAfter(CloseReason.PARSE_ERROR);
    }

    boolean inExchange() {
        return state == EXCHANGE;
    }

    boolean inReadBatch() {
        return inRead;
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
        decideClose(ex);
        writer.writeWhole(ex, content, array);
        responseDone();
    }

    /** Hands one streamed piece (and, if {@code last}, the end) of the body to the loop. */
    void writeStreamed(Http1Exchange ex, ByteBuf chunk, boolean last) {
        if (inEventLoop()) {
            streamOnLoop(ex, chunk, last);
        } else {
            gate.queue(ex, chunk, last);
        }
    }

    /** On the loop: writes one streamed piece of the current response (see {@link WriteGate}). */
    void streamOnLoop(Http1Exchange ex, ByteBuf chunk, boolean last) {
        if (state != EXCHANGE) {
            if (chunk != null) {
                chunk.release();
            }
            if (last && state == CLOSED) {
                endExchange();
            }
            return;
        }
        if (!writer.headWritten()) {
            decideClose(ex);
        }
        if (!writer.writeStreamed(ex, chunk, last)) {
            abortAfterHandlerError();
            return;
        }
        if (last) {
            responseDone();
        }
    }

    /** Decides, at commit, whether the connection closes after this response. */
    private void decideClose(Http1Exchange ex) {
        // A client that half-closed after sending further (pipelined) requests still gets their responses.
        boolean clientDone = inputClosed && !(body.ended() && input.isReadable());
        keepAlive.decide(ex.responseHeaders.get("Connection"), head, requests, clientDone, body.drainable());
    }

    /** Answers a malformed head (or a head timeout) without running a handler, then closes. */
    private void rejectHead(BadRequestException e, CloseReason reason) {
        rt.stats.parseError(e.reason());
        rt.stats.responseSent(e.status());
        if (rt.accessLog != null) {
            // The head is incomplete or malformed: its method and target are not known for sure.
            rt.accessLog.finished(remoteAddress(), null, null, null, e.status(), 0, requestStartedAt, e.reason(),
                    null, null, null);
        }
        head.reset();
        writer.writeRejection(e.status());
        closeAfterFlush(reason);
    }

    /** Flushes owed output now, unless inside a read batch: {@code channelReadComplete} flushes that once. */
    void flushIfNeeded() {
        if (!inRead) {
            writer.flush();
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
    void executeOnLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException loopGone) {
            task.run();
        }
    }

    /** @return the gate writers off the loop go through (for the exchange and its output stream) */
    WriteGate writeGate() {
        return gate;
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

    int state() {
        return state;
    }

    boolean isClosed() {
        return state == CLOSED;
    }

    int requests() {
        return requests;
    }

    void closeNow(CloseReason reason) {
        if (state == CLOSED && closeReason != null) {
            return;
        }
        if (closeReason == null) {
            closeReason = reason;
        }
        state = CLOSED;
        if (writer.takeFlush()) {
            // A complete response written in this read batch (before, say, a broken body being
            // drained) is still delivered; then the connection closes.
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
        writer.takeFlush();
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
    public void drain(long now) {
        // An idle connection closes once idle for the grace (at once if it has been already, or the
        // grace is 0); one in a request closes after its response, which says Connection: close;
        // one discarding the rest of a request body finishes that first, then waits the grace.
        deadlines.check(now);
    }

    @Override
    public void forceClose() {
        if (deadlines.holdsAbandoned()) {
            // Closed already, kept on the list for an async exchange nobody completed: the sweep that
            // would end it a keep-alive timeout later stops with the server, so it ends now.
            sweepAbandoned(true);
            return;
        }
        stopping = true;
        closeNow(CloseReason.SHUTDOWN);
    }

    @Override
    public void checkTimeouts(long now) {
        deadlines.check(now);
    }

    /** The sweep found the connection closed under an abandoned exchange; {@code expired}: held long enough. */
    void sweepAbandoned(boolean expired) {
        if (!exchangeOpen) {
            loopContext.remove(this);
        } else if (expired) {
            endExchange();
        }
    }

    /** The client has not read for a whole write timeout: the connection closes without flushing. */
    void writeTimedOut() {
        if (closeReason == null) {
            closeReason = CloseReason.WRITE_TIMEOUT;
        }
        state = CLOSED;
        ctx.close();
    }

    /** The head did not arrive within the head timeout: answered with 408, then closed. */
    void headTimedOut() {
        rejectHead(new BadRequestException(408, "head_timeout", "request head not received in time"),
                CloseReason.HEAD_TIMEOUT);
        writer.flush();
    }

    /** The body of a request asking for a protocol switch did not arrive in time: 408, then closed. */
    void upgradeBodyTimedOut() {
        upgradeBody.clear();
        headBuf.release();
        headBuf = null;
        rejectHead(new BadRequestException(408, "body_timeout", "request body not received in time"),
                CloseReason.BODY_READ_TIMEOUT);
        writer.flush();
    }

    /** Whoever reads the body waited too long for the client: the read fails, the connection closes after the response. */
    void bodyReadTimedOut() {
        keepAlive.closeAfter(CloseReason.BODY_READ_TIMEOUT);
        body.fail(new BadRequestException(408, "body_timeout", "request body stalled"));
        writer.flush();
    }
}
