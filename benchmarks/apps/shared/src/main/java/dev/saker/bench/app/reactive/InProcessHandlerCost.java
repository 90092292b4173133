package dev.saker.bench.app.reactive;

import dev.saker.bench.app.BenchApplication;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What Spring WebFlux itself costs per request, with no server: the application's own
 * {@link HttpHandler} (the bean Boot builds, the chain every server runs) is called in a loop on
 * one thread with the cheapest request and response possible, and the thread's CPU time is divided
 * by the number of calls.
 *
 * <p>It is a lower bound of the part of a WebFlux server's CPU per request that no server can take
 * away: the URI is parsed once, the request headers are built once, response buffers come from the
 * heap without pooling, nothing is written anywhere, and garbage collection (another thread) is not
 * counted. Added to the kernel's cost of one read and one write per request (what nginx or raw Netty
 * spend), it bounds the best ratio any server can reach against Reactor Netty in {@code bench.sh}.
 *
 * <p>Run it from the WebFlux application's jar, pinned to one CPU:
 * {@code java -cp webflux.jar -Dloader.main=dev.saker.bench.app.reactive.InProcessHandlerCost
 * org.springframework.boot.loader.launch.PropertiesLauncher [warm-up s] [rounds] [calls per round]}.
 * It prints one line per path: {@code inprocess <path> <median µs> <every round's µs>}.
 */
public final class InProcessHandlerCost {

    private static final List<String> PATHS = List.of("/plaintext", "/json");
    private static final DefaultDataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;

    private InProcessHandlerCost() {
    }

    public static void main(String[] args) {
        long warmupSeconds = args.length > 0 ? Long.parseLong(args[0]) : 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 500_000;
        // The server on port 0 is started by Boot and never used: only its HttpHandler bean is.
        try (ConfigurableApplicationContext context = SpringApplication.run(BenchApplication.class,
                "--server.port=0", "--server.address=127.0.0.1")) {
            HttpHandler handler = context.getBean(HttpHandler.class);
            for (String path : PATHS) {
                Call call = new Call(handler, path);
                long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
                while (System.nanoTime() < warmEnd) {
                    call.run(10_000);
                }
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                double[] perCall = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long start = threads.getCurrentThreadCpuTime();
                    call.run(calls);
                    perCall[r] = (threads.getCurrentThreadCpuTime() - start) / 1000.0 / calls;
                }
                double[] sorted = perCall.clone();
                Arrays.sort(sorted);
                double median = (sorted[(rounds - 1) / 2] + sorted[rounds / 2]) / 2;
                List<String> each = new ArrayList<>();
                for (double v : perCall) {
                    each.add(String.format("%.3f", v));
                }
                System.out.printf("inprocess %s %.3f %s%n", path, median, String.join(",", each));
            }
        }
    }

    /** Calls the handler for one path and checks that every call answered 200 with a body. */
    private static final class Call {

        private final HttpHandler handler;
        private final URI uri;
        private final HttpHeaders headers = new HttpHeaders();
        private final AtomicLong bodyBytes = new AtomicLong();

        Call(HttpHandler handler, String path) {
            this.handler = handler;
            this.uri = URI.create("http://127.0.0.1:8080" + path);
            headers.set("Host", "127.0.0.1:8080");
            headers.set("Accept", "*/*");
            headers.set("User-Agent", "in-process");
        }

        void run(int calls) {
            for (int i = 0; i < calls; i++) {
                bodyBytes.set(0);
                Request request = new Request(uri, headers);
                Response response = new Response();
                Done done = new Done();
                handler.handle(request, response).subscribe(done);
                // No status set means 200, as a server answers.
                if (!done.complete || response.getStatusCode() != null && response.getStatusCode().value() != 200
                        || bodyBytes.get() == 0) {
                    throw new IllegalStateException("GET " + uri.getPath() + " did not answer 200 with a body at once: "
                            + response.getStatusCode() + ", " + bodyBytes.get() + " bytes, complete " + done.complete);
                }
            }
        }

        /** A request whose URI and headers were made once: only Spring's own per-request work remains. */
        private static final class Request extends AbstractServerHttpRequest {

            Request(URI uri, HttpHeaders headers) {
                super(HttpMethod.GET, uri, "", headers);
            }

            @Override
            protected MultiValueMap<String, HttpCookie> initCookies() {
                return new LinkedMultiValueMap<>();
            }

            @Override
            protected SslInfo initSslInfo() {
                return null;
            }

            @Override
            public <T> T getNativeRequest() {
                throw new UnsupportedOperationException("no native request in process");
            }

            @Override
            public InetSocketAddress getRemoteAddress() {
                return null;
            }

            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.empty();
            }
        }

        /** A response that counts the body's bytes and drops them. */
        private final class Response extends AbstractServerHttpResponse {

            Response() {
                super(BUFFERS);
            }

            @Override
            public <T> T getNativeResponse() {
                throw new UnsupportedOperationException("no native response in process");
            }

            @Override
            protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
                return Flux.from(body).doOnNext(buffer -> {
                    bodyBytes.addAndGet(buffer.readableByteCount());
                    DataBufferUtils.release(buffer);
                }).then();
            }

            @Override
            protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
                return Flux.from(body).concatMap(this::writeWithInternal).then();
            }

            // Status, headers and cookies stay in Spring's own fields: there is no server to copy them to.
            @Override
            protected void applyStatusCode() {
            }

            @Override
            protected void applyHeaders() {
            }

            @Override
            protected void applyCookies() {
            }
        }

        private static final class Done implements CoreSubscriber<Void> {

            boolean complete;

            @Override
            public void onSubscribe(Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Void unused) {
            }

            @Override
            public void onError(Throwable error) {
                throw new IllegalStateException("handler failed", error);
            }

            @Override
            public void onComplete() {
                complete = true;
            }
        }
    }
}
