package dev.saker.server.http1;

import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.observe.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;

/**
 * The request body of a connection's current exchange, on its event loop: frames it (length or
 * chunked) out of the connection's input, hands it to the handler (a one-shot non-blocking consumer,
 * or a subscribed blocking stream that is pushed every byte as it arrives, woken once per read
 * batch), enforces the size limit and the read timeout, and drains what the handler left unread.
 */
final class RequestBodyReader {

    private final Http1Connection connection;
    private final Http1Runtime rt;
    private final InputBuffer input;
    private final ChunkedDecoder decoder;
    private final BodyBatch batch;

    private RequestHead head;
    private boolean chunked;
    private long remaining;
    private boolean ended;
    private long received;
    private long drained;
    private IOException error;
    private boolean continueSent;
    private BodyConsumer pendingConsumer;
    private long consumerSince;
    /** A blocking reader subscribed to the body: every byte is pushed to it as it arrives. */
    private BlockingBodyStream stream;
    /** The stream pushed to during this read batch: woken when the batch completes. */
    private BlockingBodyStream pushedInBatch;
    private boolean takenLast;

    RequestBodyReader(Http1Connection connection, Http1Runtime rt, InputBuffer input) {
        this.connection = connection;
        this.rt = rt;
        this.input = input;
        this.decoder = new ChunkedDecoder(rt.config.maxChunkExtensionBytes(), rt.config.maxHeadSize(),
                rt.config.maxHeaderCount(), rt.config.allowBareLf());
        this.batch = new BodyBatch(decoder);
    }

    /** A new exchange begins with {@code head}. */
    void begin(RequestHead head) {
        this.head = head;
        chunked = head.chunked;
        remaining = head.chunked ? -1 : Math.max(head.contentLength, 0);
        ended = !head.hasBody();
        received = 0;
        error = null;
        continueSent = false;
        if (chunked) {
            decoder.reset();
        }
    }

    boolean ended() {
        return ended;
    }

    boolean chunked() {
        return chunked;
    }

    /** @return bytes of a body with a length still to come */
    long remaining() {
        return remaining;
    }

    /**
     * @return whether what is left of the body can be drained after the response: not when the
     *         client may be holding it back for a {@code 100 Continue} that was not sent, nor when
     *         more of a declared length remains than the drain limit
     */
    boolean drainable() {
        if (ended) {
            return true;
        }
        if (head.expectContinue && !continueSent) {
            // The client may be holding the body back: do not wait for it to drain.
            return false;
        }
        return chunked || remaining <= rt.config.drainLimit();
    }

    /** @return whether a one-shot consumer waits (then buffered input is not a backlog) */
    boolean consumerWaiting() {
        return pendingConsumer != null;
    }

    HttpHeaders trailers() {
        return chunked ? decoder.trailers() : null;
    }

    // ---------------------------------------------------------------- handing the body over

    /** A one-shot non-blocking read: {@code consumer} hears once, with all that is buffered. */
    void read(BodyConsumer consumer) {
        if (!connection.inExchange()) {
            consumer.onError(new IOException("the exchange is over"));
            return;
        }
        if (pendingConsumer != null || stream != null) {
            consumer.onError(new IOException("a body read is already pending"));
            return;
        }
        sendContinueIfAsked();
        pendingConsumer = consumer;
        consumerSince = System.nanoTime();
        deliver();
        if (pendingConsumer != null) {
            input.resumeReading();
        }
    }

    /** A blocking reader's first read: from now on body bytes are pushed to it. */
    void subscribe(BlockingBodyStream reader) {
        if (!connection.inExchange()) {
            reader.fail(new IOException("the exchange is over"));
            return;
        }
        if (pendingConsumer != null || stream != null) {
            reader.fail(new IOException("a body read is already pending"));
            return;
        }
        sendContinueIfAsked();
        stream = reader;
        credit();
    }

    /** The subscribed reader drained its inbox enough to take more. */
    void credit() {
        if (stream == null || !connection.inExchange()) {
            return;
        }
        push();
        // Also once the body was all pushed (or failed): a client's close must be seen meanwhile.
        if (stream == null || !stream.stalled()) {
            input.resumeReading();
        }
    }

    /** New input arrived (or the input closed) during the exchange. */
    void onInput() {
        if (pendingConsumer != null) {
            deliver();
        } else if (stream != null) {
            push();
        }
    }

    /** The read batch is over: wakes the reader pushed to during it, once. */
    void readBatchDone() {
        if (pushedInBatch != null) {
            BlockingBodyStream reader = pushedInBatch;
            pushedInBatch = null;
            rt.stats.bodyHandOff();
            reader.wake();
        }
    }

    private void sendContinueIfAsked() {
        if (head.expectContinue && !continueSent && !ended && connection.sendContinue()) {
            continueSent = true;
        }
    }

    private void deliver() {
        BodyConsumer consumer = pendingConsumer;
        if (error != null) {
            pendingConsumer = null;
            consumer.onError(error);
            return;
        }
        if (ended) {
            pendingConsumer = null;
            consumer.onData(Unpooled.EMPTY_BUFFER, true);
            return;
        }
        ByteBuf data = take(Integer.MAX_VALUE);
        if (data == null) {
            return;
        }
        ended = takenLast;
        pendingConsumer = null;
        try {
            consumer.onData(data, takenLast);
        } finally {
            data.release();
        }
    }

    private void push() {
        boolean inRead = connection.inReadBatch();
        while (stream != null) {
            BlockingBodyStream reader = stream;
            if (error != null) {
                stream = null;
                reader.fail(error);
                return;
            }
            if (ended) {
                stream = null;
                reader.offer(Unpooled.EMPTY_BUFFER, true, true);
                return;
            }
            int room = reader.creditOrStall();
            if (room == 0) {
                // The reader's inbox is its buffer: read no more behind it (input kept here would be
                // merged and copied on every read) until it drains and credits the loop again.
                input.pauseReading();
                return;
            }
            ByteBuf data = take(room);
            if (data == null) {
                return;
            }
            ended = takenLast;
            if (takenLast) {
                stream = null;
            }
            // Inside a read batch the reader is woken once, when the batch is done.
            reader.offer(data, takenLast, !inRead);
            if (inRead) {
                pushedInBatch = reader;
            } else {
                rt.stats.bodyHandOff();
            }
            if (takenLast) {
                return;
            }
            if (!input.isReadable()) {
                if (connection.inputClosed()) {
                    // No read will come to push the rest: the reader learns now.
                    fail(new IOException("connection closed before the request body ended"));
                }
                return;
            }
        }
    }

    /**
     * Takes up to {@code max} buffered body bytes (every chunk available), counting them against the
     * size limit; sets {@link #takenLast}. On a framing error, a body over the limit or a client gone
     * mid-body, fails the body and returns {@code null}, as it does when more input is needed.
     */
    private ByteBuf take(int max) {
        takenLast = false;
        ByteBuf buffered = input.buffer();
        ByteBuf data = null;
        if (buffered != null && buffered.isReadable()) {
            try {
                if (!chunked) {
                    int n = (int) Math.min(Math.min(buffered.readableBytes(), remaining), max);
                    data = buffered.readRetainedSlice(n);
                    remaining -= n;
                    takenLast = remaining == 0;
                } else {
                    data = batch.take(buffered, max, connection.alloc());
                    takenLast = batch.ended();
                }
            } catch (BadRequestException e) {
                fail(e);
                return null;
            }
        }
        if (data == null) {
            if (connection.inputClosed()) {
                fail(new IOException("connection closed before the request body ended"));
            }
            return null;
        }
        received += data.readableBytes();
        long limit = rt.config.maxRequestBodySize();
        if (limit >= 0 && received > limit) {
            data.release();
            fail(new BadRequestException(413, "body_too_large", "request body larger than " + limit + " bytes"));
            return null;
        }
        return data;
    }

    // ---------------------------------------------------------------- failures and the end

    /** The body cannot be read to its end: whoever reads it hears why; the connection closes after the response. */
    void fail(IOException failure) {
        error = failure;
        if (failure instanceof BadRequestException) {
            rt.stats.parseError(((BadRequestException) failure).reason());
            connection.exchangeReason(((BadRequestException) failure).reason());
        }
        connection.bodyBroken();
        BodyConsumer consumer = pendingConsumer;
        pendingConsumer = null;
        if (consumer != null) {
            consumer.onError(failure);
        }
        BlockingBodyStream reader = stream;
        stream = null;
        if (reader != null) {
            reader.fail(failure);
        }
    }

    /** @return whether whoever reads the body has waited for the client longer than the body read timeout */
    boolean readTimedOut(long now) {
        return (pendingConsumer != null && now - consumerSince > rt.bodyReadTimeoutNanos)
                || (stream != null && stream.waitingLongerThan(now, rt.bodyReadTimeoutNanos));
    }

    /** The connection closed: a body still being read ends in an error. */
    void connectionClosed() {
        if (!ended && error == null) {
            error = new IOException("connection closed before the request body ended");
        }
        IOException why = error != null ? error : new IOException("connection closed");
        if (pendingConsumer != null) {
            BodyConsumer consumer = pendingConsumer;
            pendingConsumer = null;
            consumer.onError(why);
        }
        if (stream != null) {
            BlockingBodyStream reader = stream;
            stream = null;
            reader.fail(why);
        }
    }

    /** The response is complete: a read still pending fails (the stream is recycled by the exchange). */
    void exchangeEnded() {
        if (pendingConsumer != null) {
            BodyConsumer consumer = pendingConsumer;
            pendingConsumer = null;
            consumer.onError(new IOException("the response is complete"));
        }
        stream = null;
    }

    // ---------------------------------------------------------------- draining

    void startDrain() {
        drained = 0;
    }

    /**
     * Reads and discards what is left of a body the handler did not read.
     *
     * @return {@code null} to go on (see {@link #ended()}: done, or more input needed), else why the
     *         connection must close now
     */
    CloseReason drain() {
        ByteBuf in = input.buffer();
        while (in != null && in.isReadable() && !ended) {
            long n;
            if (!chunked) {
                n = Math.min(in.readableBytes(), remaining);
                in.skipBytes((int) n);
                remaining -= n;
                ended = remaining == 0;
            } else {
                try {
                    n = decoder.advance(in);
                } catch (BadRequestException e) {
                    rt.stats.parseError(e.reason());
                    return CloseReason.PARSE_ERROR;
                }
                if (n < 0) {
                    ended = true;
                    break;
                }
                if (n == 0) {
                    break;
                }
                in.skipBytes((int) n);
                decoder.consumed(n);
            }
            drained += n;
            if (drained > rt.config.drainLimit()) {
                return CloseReason.UNREAD_BODY;
            }
        }
        if (!ended && connection.inputClosed()) {
            return CloseReason.CLIENT;
        }
        return null;
    }
}
