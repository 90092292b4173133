package dev.saker.reactive;

import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.RequestBody;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * The request body as a {@link Flux} of data buffers, read only as fast as its subscriber asks:
 * each delivery of the engine ({@link RequestBody#read(BodyConsumer)}) answers one outstanding
 * demand, and no read is asked for while there is none, so a slow subscriber leaves the bytes in
 * the socket (the engine stops reading it). Each buffer wraps the engine's bytes, retained once for
 * the subscriber, who releases it. One subscriber only (the body is read once).
 */
final class RequestBodyPublisher extends Flux<DataBuffer> {

    private final RequestBody body;
    private final NettyDataBufferFactory factory;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    RequestBodyPublisher(RequestBody body, NettyDataBufferFactory factory) {
        this.body = body;
        this.factory = factory;
    }

    @Override
    public void subscribe(CoreSubscriber<? super DataBuffer> actual) {
        if (!subscribed.compareAndSet(false, true)) {
            Operators.error(actual, new IllegalStateException("the request body can be subscribed to only once"));
            return;
        }
        BodySubscription subscription = new BodySubscription(actual);
        actual.onSubscribe(subscription);
    }

    private final class BodySubscription implements Subscription, BodyConsumer {

        private final CoreSubscriber<? super DataBuffer> actual;
        private final AtomicLong demand = new AtomicLong();
        /** Whether a read is asked for and not yet delivered; also keeps deliveries from nesting. */
        private final AtomicBoolean reading = new AtomicBoolean();
        private volatile boolean cancelled;
        private volatile boolean done;

        BodySubscription(CoreSubscriber<? super DataBuffer> actual) {
            this.actual = actual;
        }

        @Override
        public void request(long n) {
            if (!Operators.validate(n)) {
                cancel();
                actual.onError(new IllegalArgumentException("request must be positive (Reactive Streams §3.9): " + n));
                return;
            }
            demand.getAndUpdate(d -> Operators.addCap(d, n));
            readIfWanted();
        }

        @Override
        public void cancel() {
            // A read already asked for still arrives; its bytes are ignored and the engine releases them.
            cancelled = true;
        }

        private void readIfWanted() {
            if (!cancelled && !done && demand.get() > 0 && reading.compareAndSet(false, true)) {
                body.read(this);
            }
        }

        @Override
        public void onData(ByteBuf data, boolean last) {
            if (cancelled || done) {
                reading.set(false);
                return;
            }
            if (data.isReadable()) {
                demand.decrementAndGet();
                actual.onNext(factory.wrap(data.retain()));
            }
            if (last) {
                done = true;
                reading.set(false);
                if (!cancelled) {
                    actual.onComplete();
                }
                return;
            }
            reading.set(false);
            readIfWanted();
        }

        @Override
        public void onError(IOException error) {
            reading.set(false);
            if (cancelled || done) {
                return;
            }
            done = true;
            actual.onError(error);
        }
    }
}
