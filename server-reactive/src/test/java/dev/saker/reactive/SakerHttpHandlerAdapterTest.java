package dev.saker.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class SakerHttpHandlerAdapterTest {

    private static Mono<Void> text(ServerHttpResponse response, String text) {
        return response.writeWith(Mono.fromSupplier(
                () -> response.bufferFactory().wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void getSeesMethodUriHeadersCookiesAndAddressesAndGetsContentLengthForOneBuffer() throws Exception {
        HttpHandler handler = (request, response) -> {
            response.getHeaders().set("X-Method", request.getMethod().name());
            response.getHeaders().set("X-Uri", request.getURI().toString());
            if (request.getHeaders().containsHeader("user-agent")) {
                response.getHeaders().set("X-Agent", request.getHeaders().getFirst("user-agent"));
            }
            if (request.getCookies().containsKey("b")) {
                response.getHeaders().set("X-Cookie", request.getCookies().getFirst("b").getValue());
            }
            response.getHeaders().set("X-Remote", request.getRemoteAddress().getAddress().getHostAddress());
            response.getHeaders().set("X-Local-Port", String.valueOf(request.getLocalAddress().getPort()));
            response.addCookie(ResponseCookie.from("s", "1").path("/").build());
            response.setStatusCode(HttpStatus.ACCEPTED);
            return text(response, "hello " + request.getQueryParams().getFirst("q"));
        };
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send("GET /a%20b?q=x%26y HTTP/1.1\r\nHost: example.com:8080\r\n"
                    + "User-Agent: t/1\r\nCookie: a=1; b=\"two\"\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.bodyText()).isEqualTo("hello x&y");
            assertThat(r.header("content-length")).isEqualTo("9");
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.header("x-method")).isEqualTo("GET");
            assertThat(r.header("x-uri")).isEqualTo("http://example.com:8080/a%20b?q=x%26y");
            assertThat(r.header("x-agent")).isEqualTo("t/1");
            assertThat(r.header("x-cookie")).isEqualTo("two");
            assertThat(r.header("x-remote")).isEqualTo("127.0.0.1");
            assertThat(r.header("x-local-port")).isEqualTo(String.valueOf(server.port()));
            assertThat(r.header("set-cookie")).isEqualTo("s=1; Path=/");
            // keep-alive: the next request on the same connection works
            RawClient.Response second = client.send("GET /?q=2 HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(second.status()).as(second.headers().toString()).isEqualTo(202);
            assertThat(second.bodyText()).isEqualTo("hello 2");
        }
    }

    @Test
    void postEchoesItsBody() throws Exception {
        HttpHandler handler = (request, response) -> response.writeWith(
                DataBufferUtils.join(request.getBody()));
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello world");
            assertThat(r.header("content-length")).isEqualTo("11");
            r = client.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n").read();
            assertThat(r.bodyText()).isEqualTo("abcdefg");
        }
    }

    @Test
    void aFluxBodyIsChunkedAndAnEmptyResponseHasLengthZero() throws Exception {
        HttpHandler handler = (request, response) -> {
            if (request.getPath().value().equals("/empty")) {
                return response.setComplete();
            }
            return response.writeWith(Flux.range(0, 3).map(
                    i -> response.bufferFactory().wrap(("part" + i + ";").getBytes(StandardCharsets.US_ASCII))));
        };
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            // small: the engine's response buffer takes it whole, so it still gets a length
            assertThat(r.bodyText()).isEqualTo("part0;part1;part2;");
            RawClient.Response empty = client.send("GET /empty HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(empty.header("content-length")).isEqualTo("0");
        }
        HttpHandler flushed = (request, response) -> response.writeAndFlushWith(Flux.range(0, 3).map(
                i -> Mono.just(response.bufferFactory().wrap(("part" + i + ";").getBytes(StandardCharsets.US_ASCII)))));
        try (ReactiveServer server = new ReactiveServer(flushed); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.header("content-length")).isNull();
            assertThat(r.bodyText()).isEqualTo("part0;part1;part2;");
        }
    }

    @Test
    void headGetsTheLengthOfGetAndNoBody() throws Exception {
        HttpHandler handler = (request, response) -> text(response, "twelve bytes");
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            RawClient.Response head = client.send("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("12");
            // no body bytes came after the head: the next response parses
            RawClient.Response get = client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(get.bodyText()).isEqualTo("twelve bytes");
        }
    }

    @Test
    void anErrorBeforeCommitIsA500AndTheConnectionStays() throws Exception {
        HttpHandler handler = (request, response) -> {
            response.getHeaders().set("X-Lost", "yes");
            return Mono.error(new IllegalStateException("boom"));
        };
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.body()).isEmpty();
            assertThat(r.header("x-lost")).isNull();
            assertThat(client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(500);
        }
    }

    @Test
    void aHandlerThatDoesNotCommitStillSendsItsStatusHeadersAndCookies() throws Exception {
        HttpHandler handler = (request, response) -> {
            response.setStatusCode(HttpStatus.ACCEPTED);
            response.getHeaders().set("X-Set", "1");
            response.addCookie(ResponseCookie.from("c", "2").build());
            return Mono.empty();
        };
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.header("x-set")).isEqualTo("1");
            assertThat(r.header("set-cookie")).isEqualTo("c=2");
            assertThat(r.header("content-length")).isEqualTo("0");
            assertThat(client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(202);
        }
    }

    @Test
    void responseHeadersSetThroughSpringAreTheFieldsSent() throws Exception {
        HttpHandler handler = (request, response) -> {
            HttpHeaders headers = response.getHeaders();
            headers.add("X-Multi", "a");
            headers.add("x-multi", "b");
            headers.set("X-Gone", "1");
            headers.remove("x-gone");
            headers.set("X-Replaced", "1");
            headers.set("X-REPLACED", "2");
            // the engine frames the body itself
            headers.set("Transfer-Encoding", "chunked");
            headers.setContentType(MediaType.TEXT_PLAIN);
            String seen = headers.getFirst("x-replaced") + " " + headers.get("X-MULTI") + " " + headers.containsHeader("X-Gone")
                    + " " + headers.getContentType();
            headers.set("X-Seen", seen);
            return text(response, "ok");
        };
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers().get("x-multi")).containsExactly("a", "b");
            assertThat(r.header("x-gone")).isNull();
            assertThat(r.headers().get("x-replaced")).containsExactly("2");
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.header("content-length")).isEqualTo("2");
            assertThat(r.header("content-type")).isEqualTo("text/plain");
            assertThat(r.header("x-seen")).isEqualTo("2 [a, b] false text/plain");
            assertThat(r.bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void aHeaderValueThatWouldSplitTheResponseIsA500() throws Exception {
        HttpHandler handler = (request, response) -> {
            response.getHeaders().set("X-Bad", "a\r\nX-Injected: 1");
            return text(response, "never");
        };
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("x-injected")).isNull();
            assertThat(r.header("x-bad")).isNull();
            assertThat(client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(500);
        }
    }

    @Test
    void theUriOfAnAbsoluteFormTargetOfAnIpv6HostAndOfAHostlessRequest() throws Exception {
        HttpHandler handler = (request, response) -> {
            response.getHeaders().set("X-Uri", request.getURI().toString());
            return response.setComplete();
        };
        try (ReactiveServer server = new ReactiveServer(handler)) {
            try (RawClient client = new RawClient(server.port())) {
                assertThat(client.send("GET http://other.example:81/p?q=1 HTTP/1.1\r\nHost: other.example:81\r\n\r\n")
                        .read().header("x-uri")).isEqualTo("http://other.example:81/p?q=1");
                assertThat(client.send("GET /v6 HTTP/1.1\r\nHost: [::1]:9\r\n\r\n").read().header("x-uri"))
                        .isEqualTo("http://[::1]:9/v6");
            }
            try (RawClient client = new RawClient(server.port())) {
                assertThat(client.send("GET /old HTTP/1.0\r\n\r\n").read().header("x-uri"))
                        .isEqualTo("http://127.0.0.1:" + server.port() + "/old");
            }
        }
    }

    @Test
    void aRepeatedTargetReusesItsUriOnlyForTheSameHostAndTarget() throws Exception {
        java.util.List<java.net.URI> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpHandler handler = (request, response) -> {
            seen.add(request.getURI());
            response.getHeaders().set("X-Uri", request.getURI().toString());
            return response.setComplete();
        };
        try (ReactiveServer server = new ReactiveServer(handler);
                RawClient client = new RawClient(server.port())) {
            String[][] requests = {{"/p?q=1", "a:1"}, {"/p?q=1", "a:1"}, {"/p?q=1", "b:1"}, {"/p?q=2", "a:1"},
                {"/p?q=1", "a:2"}, {"/p?q=1", "a:1"}};
            for (String[] r : requests) {
                assertThat(client.send("GET " + r[0] + " HTTP/1.1\r\nHost: " + r[1] + "\r\n\r\n").read().header("x-uri"))
                        .isEqualTo("http://" + r[1] + r[0]);
            }
            assertThat(seen.get(1)).isSameAs(seen.get(0));
            assertThat(seen.get(5)).isSameAs(seen.get(0));
            assertThat(seen.subList(2, 5)).allSatisfy(uri -> assertThat(uri).isNotSameAs(seen.get(0)));
        }
    }

    @Test
    void aTimerDrivenEventStreamKeepsUpWhileTheEventLoopIsBusy() throws Exception {
        // Flux.interval fails when a tick finds no demand: each event's write waits for the event
        // loop, so the events ahead must be asked for before that (as Reactor Netty does, 32 of them).
        // Here the loop is held until 10 ticks have been taken; asking for one event at a time, the
        // second tick already fails, and the loop is let go at the bound.
        int events = 20;
        CountDownLatch tenTicks = new CountDownLatch(10);
        HttpHandler handler = (request, response) -> {
            // The handler runs on the event loop: the hold starts soon after the stream does.
            io.netty.util.concurrent.EventExecutor loop = io.netty.util.internal.ThreadExecutorMap.currentExecutor();
            loop.schedule(() -> awaitQuietly(tenTicks), 10, TimeUnit.MILLISECONDS);
            response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
            return response.writeAndFlushWith(Flux.interval(Duration.ofMillis(10)).take(events)
                    .doOnNext(i -> tenTicks.countDown())
                    .map(i -> Mono.fromSupplier(() -> response.bufferFactory()
                            .wrap(("data:" + i + "\n\n").getBytes(StandardCharsets.US_ASCII)))));
        };
        try (ReactiveServer server = new ReactiveServer(handler);
                RawClient client = new RawClient(server.port())) {
            RawClient.Response r = client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < events; i++) {
                expected.append("data:").append(i).append("\n\n");
            }
            assertThat(r.bodyText()).isEqualTo(expected.toString());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anErrorAfterCommitAbortsTheConnection() throws Exception {
        HttpHandler handler = (request, response) -> response.writeAndFlushWith(Flux.concat(
                Flux.just(Mono.just(response.bufferFactory().wrap("first".getBytes(StandardCharsets.US_ASCII)))),
                Flux.error(new IllegalStateException("late failure"))));
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked").contains("first");
            assertThat(all).doesNotEndWith("0\r\n\r\n");
        }
    }

    @Test
    void aSlowSubscriberHoldsTheUploadInTheSocket() throws Exception {
        long total = 48L << 20;
        AtomicLong received = new AtomicLong();
        CountDownLatch subscribed = new CountDownLatch(1);
        org.reactivestreams.Subscription[] held = new org.reactivestreams.Subscription[1];
        CountDownLatch done = new CountDownLatch(1);
        HttpHandler handler = (request, response) -> Mono.create(sink -> request.getBody().subscribe(
                new org.reactivestreams.Subscriber<DataBuffer>() {
                    @Override
                    public void onSubscribe(org.reactivestreams.Subscription s) {
                        held[0] = s;
                        s.request(1);
                        subscribed.countDown();
                    }

                    @Override
                    public void onNext(DataBuffer b) {
                        received.addAndGet(b.readableByteCount());
                        DataBufferUtils.release(b);
                    }

                    @Override
                    public void onError(Throwable t) {
                        sink.error(t);
                    }

                    @Override
                    public void onComplete() {
                        done.countDown();
                        sink.success();
                    }
                })).then(text(response, "got " + "all"));
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + total + "\r\n\r\n");
                    byte[] piece = new byte[64 * 1024];
                    for (long sent = 0; sent < total; sent += piece.length) {
                        client.send(piece);
                        written.addAndGet(piece.length);
                    }
                } catch (Exception e) {
                    // the assertions below report what matters
                }
            });
            writer.start();
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            long stalledAt = ReactiveServer.settled(written::get);
            // One delivery for one request, and the client cannot push the rest: nobody read it.
            assertThat(received.get()).isPositive().isLessThanOrEqualTo(1L << 20);
            assertThat(stalledAt).isLessThan(total);
            assertThat(server.server.stats().bytesReceived()).isLessThan(total);
            held[0].request(Long.MAX_VALUE);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            writer.join(10_000);
            assertThat(received.get()).isEqualTo(total);
            assertThat(client.read().bodyText()).isEqualTo("got all");
        }
    }

    @Test
    void aLargeResponseToASlowClientIsProducedOnlyAsItIsRead() throws Exception {
        int pieces = 4096;
        int pieceSize = 8192;
        AtomicLong produced = new AtomicLong();
        HttpHandler handler = (request, response) -> response.writeWith(Flux.range(0, pieces).map(i -> {
            produced.incrementAndGet();
            DataBuffer b = response.bufferFactory().allocateBuffer(pieceSize);
            b.writePosition(pieceSize);
            return b;
        }));
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            client.socket().setReceiveBufferSize(64 * 1024);
            client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            long stalledAt = ReactiveServer.settled(produced::get);
            assertThat(stalledAt).isPositive().isLessThan(pieces);
            RawClient.Response r = client.read();
            assertThat(r.body()).hasSize(pieces * pieceSize);
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(produced.get()).isEqualTo(pieces);
        }
    }

    @Test
    void aClientThatLeavesCancelsTheResponseBody() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicLong produced = new AtomicLong();
        HttpHandler handler = (request, response) -> response.writeAndFlushWith(Flux.interval(Duration.ofMillis(5))
                .onBackpressureDrop()
                .map(i -> {
                    produced.incrementAndGet();
                    return Mono.just(response.bufferFactory().wrap(("tick " + i + "\n").getBytes(StandardCharsets.US_ASCII)));
                })
                .doOnCancel(cancelled::countDown));
        try (ReactiveServer server = new ReactiveServer(handler)) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
                // ticks keep coming, so read up to the first one rather than until a quiet spell
                StringBuilder seen = new StringBuilder();
                InputStream in = client.socket().getInputStream();
                while (seen.indexOf("tick 0") < 0) {
                    int b = in.read();
                    assertThat(b).as("response so far: %s", seen).isNotNegative();
                    seen.append((char) b);
                }
            }
            assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
            long after = produced.get();
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.server.stats().requestsTotal() >= 1)).isTrue();
            assertThat(produced.get()).isEqualTo(after);
        }
    }

    @Test
    void aClientThatLeavesDuringTheUploadFailsTheBody() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        HttpHandler handler = (request, response) -> request.getBody()
                .doOnNext(DataBufferUtils::release)
                .doOnError(e -> failed.countDown())
                .then(response.setComplete());
        try (ReactiveServer server = new ReactiveServer(handler)) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\npartial");
                assertThat(Poll.until(Duration.ofSeconds(5), () -> server.server.stats().bytesReceived() > 0)).isTrue();
            }
            assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBodyCancelledWhileAReadIsPendingLeavesTheConnectionUsableForTheNextRequest() throws Exception {
        HttpHandler handler = (request, response) -> {
            if (request.getPath().value().equals("/echo")) {
                return response.writeWith(DataBufferUtils.join(request.getBody()));
            }
            return Mono.<Void>create(sink -> request.getBody().subscribe(new org.reactivestreams.Subscriber<DataBuffer>() {
                private org.reactivestreams.Subscription subscription;

                @Override
                public void onSubscribe(org.reactivestreams.Subscription s) {
                    subscription = s;
                    s.request(2);
                }

                @Override
                public void onNext(DataBuffer buffer) {
                    DataBufferUtils.release(buffer);
                    // The second read is pending now; give up on the body from another thread.
                    reactor.core.scheduler.Schedulers.parallel().schedule(() -> {
                        subscription.cancel();
                        sink.success();
                    });
                }

                @Override
                public void onError(Throwable t) {
                    sink.error(t);
                }

                @Override
                public void onComplete() {
                    sink.success();
                }
            })).then(text(response, "cut"));
        };
        try (ReactiveServer server = new ReactiveServer(handler); RawClient client = new RawClient(server.port())) {
            client.send("POST /cut HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nfirst");
            assertThat(client.read().bodyText()).isEqualTo("cut");
            client.send("-rest");
            RawClient.Response echo = client.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nnext").read();
            assertThat(echo.bodyText()).isEqualTo("next");
        }
    }
}
