package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that leaves a held async response (long poll, event stream) is noticed when its
 * connection breaks (a reset): the listeners hear {@code onError} with an {@link IOException}, then
 * {@code onComplete}, and the request ends, without waiting for a write or the async timeout. A
 * client that only closes its sending side still gets the response.
 */
class AsyncClientGoneTest {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private final BlockingQueue<AsyncContext> held = new LinkedBlockingQueue<>();

    private ServletServer start(boolean commit) {
        return ServletServer.start("", ServletContainerConfig.defaults().withAsyncTimeout(Duration.ofMinutes(5)), ctx -> {
            ServletRegistration.Dynamic registration = ctx.addServlet("held", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    AsyncContext async = req.startAsync();
                    held.add(async);
                    async.addListener(new AsyncListener() {
                        @Override
                        public void onComplete(AsyncEvent event) {
                            events.add("complete");
                        }

                        @Override
                        public void onTimeout(AsyncEvent event) {
                            events.add("timeout");
                        }

                        @Override
                        public void onError(AsyncEvent event) {
                            events.add("error " + event.getThrowable().getClass().getSimpleName());
                        }

                        @Override
                        public void onStartAsync(AsyncEvent event) {
                        }
                    });
                    if (commit) {
                        // An event stream: the head and a first event are out, the rest is held.
                        resp.setContentType("text/event-stream");
                        resp.getWriter().print("data: first\n\n");
                        resp.flushBuffer();
                    }
                    started.countDown();
                }
            });
            registration.setAsyncSupported(true);
            registration.addMapping("/held");
        }, container -> { });
    }

    @Test
    void aClientThatResetsAHeldStreamIsAnErrorThenTheRequestEnds() throws Exception {
        try (ServletServer server = start(true)) {
            RawClient client = new RawClient(server.port());
            client.send("GET /held HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(readUntil(client, "data: first")).isTrue();
            client.socket().setSoLinger(true, 0);
            client.close();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("error IOException");
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("complete");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.server().stats().requestsActive() == 0)).isTrue();
        }
    }

    /** Reads the held response until {@code text} has arrived (the response never ends by itself). */
    private static boolean readUntil(RawClient client, String text) throws IOException {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[1024];
        int n;
        while ((n = client.socket().getInputStream().read(buf)) > 0) {
            got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            if (got.indexOf(text) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aClientThatResetsALongPollBeforeAnyResponseIsAnErrorThenTheRequestEnds() throws Exception {
        try (ServletServer server = start(false)) {
            RawClient client = new RawClient(server.port());
            client.send("GET /held HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            client.socket().setSoLinger(true, 0);
            client.close();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("error IOException");
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("complete");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.server().stats().requestsActive() == 0)).isTrue();
            // Nobody to answer: no error page, and the request is not counted as a server error.
            assertThat(server.server().stats().responses(5)).isZero();
        }
    }

    @Test
    void aClientThatHalfClosesAfterItsRequestStillGetsTheAsyncResponse() throws Exception {
        // Conformance C06: closing the sending side after a full request is not leaving.
        try (ServletServer server = start(false); RawClient client = new RawClient(server.port())) {
            client.send("GET /held HTTP/1.1\r\nHost: a\r\n\r\n");
            AsyncContext async = held.poll(10, TimeUnit.SECONDS);
            assertThat(async).isNotNull();
            client.shutdownOutput();
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("no error for a half-close").isNull();
            async.getResponse().getWriter().print("answered");
            async.complete();
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("answered");
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("complete");
        }
    }
}
