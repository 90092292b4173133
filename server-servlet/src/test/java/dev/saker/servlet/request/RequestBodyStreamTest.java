package dev.saker.servlet.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import dev.saker.servlet.ServletServer;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The blocking request body stream: mark/reset (Spring's empty-body check) and whole-body reads. */
class RequestBodyStreamTest {

    /** Marks, peeks at the first byte as Spring does, resets, then reads the body the way the request asks. */
    static final class PeekingServlet extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            ServletInputStream in = req.getInputStream();
            assertThat(in.markSupported()).isTrue();
            in.mark(1);
            int first = in.read();
            in.reset();
            byte[] body;
            switch (req.getParameter("how") == null ? "" : req.getParameter("how")) {
                case "all" -> body = in.readAllBytes();
                case "small-reads" -> {
                    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                    byte[] piece = new byte[7];
                    for (int n; (n = in.read(piece)) >= 0; ) {
                        out.write(piece, 0, n);
                    }
                    body = out.toByteArray();
                }
                default -> body = in.readNBytes(req.getContentLength() < 0 ? Integer.MAX_VALUE : req.getContentLength());
            }
            boolean finished = in.isFinished();
            resp.setContentType("text/plain");
            resp.getWriter().print(first + " " + body.length + " " + sha(body) + " " + finished + " " + in.read());
        }
    }

    @Test
    void markPeekResetThenReadTheWholeBodyEveryWay() throws Exception {
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        try (ServletServer server = ServletServer.start("", ctx -> ctx.addServlet("peek", new PeekingServlet()).addMapping("/*"));
             RawClient client = new RawClient(server.port())) {
            for (String how : new String[] {"n", "all", "small-reads"}) {
                client.send(("POST /?how=" + how + " HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                client.send(body);
                RawClient.Response response = client.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).as(how).isEqualTo((body[0] & 0xFF) + " " + body.length + " " + sha(body) + " true -1");
            }
            // Chunked: no declared length, the default whole-body read.
            client.send("POST /?how=all HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("97 5 " + sha("abcde".getBytes(StandardCharsets.US_ASCII)) + " true -1");
            // Empty body: the peek sees the end, and the body reads as empty.
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("-1 0 " + sha(new byte[0]) + " true -1");
        }
    }

    /**
     * A client that declares a large body and sends little must not make {@code readNBytes} hold
     * memory for what it declared: the array grows with the data that actually arrived.
     */
    @Test
    void aDeclaredLengthAloneDoesNotAllocateTheWholeBody() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.concurrent.atomic.AtomicLong servletThread = new java.util.concurrent.atomic.AtomicLong(-1);
        java.util.concurrent.atomic.AtomicLong before = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        int declared = 6 * 1024 * 1024;
        try (ServletServer server = ServletServer.start("", ctx -> ctx.addServlet("r", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                servletThread.set(Thread.currentThread().getId());
                before.set(threads.getThreadAllocatedBytes(Thread.currentThread().getId()));
                reading.countDown();
                byte[] body = req.getInputStream().readNBytes(req.getContentLength());
                resp.getWriter().print(body.length);
            }
        }).addMapping("/*")); RawClient client = new RawClient(server.port(), 20_000)) {
            client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + declared + "\r\n\r\n" + "x".repeat(1000));
            assertThat(reading.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // The reader waits for more data: what it allocated meanwhile is far below the declared size.
            assertThat(dev.saker.server.testing.Poll.until(java.time.Duration.ofSeconds(5), () -> {
                Thread.State state = threadState(servletThread.get());
                return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
            })).isTrue();
            long allocated = threads.getThreadAllocatedBytes(servletThread.get()) - before.get();
            assertThat(allocated).isLessThan(declared / 8);
            client.send("y".repeat(declared - 1000));
            RawClient.Response response = client.read();
            assertThat(response.bodyText()).isEqualTo(Integer.toString(declared));
        }
    }

    private static Thread.State threadState(long id) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getId() == id) {
                return t.getState();
            }
        }
        return null;
    }

    @Test
    void markBufferReplaysWithinItsLimitAndForgetsPastIt() throws Exception {
        MarkBuffer mark = new MarkBuffer();
        mark.mark(4);
        byte[] fresh = "abc".getBytes(StandardCharsets.US_ASCII);
        mark.recorded(fresh, 0, 3);
        mark.reset();
        byte[] out = new byte[8];
        assertThat(mark.read(out, 0, 8)).isEqualTo(3);
        assertThat(new String(out, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(mark.available()).isZero();
        mark.recorded("de".getBytes(StandardCharsets.US_ASCII), 0, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(mark::reset).isInstanceOf(IOException.class);
        assertThat(mark.available()).isZero();
    }

    @Test
    void aNewMarkKeepsBytesNotYetReplayed() throws Exception {
        MarkBuffer mark = new MarkBuffer();
        mark.mark(10);
        mark.recorded("hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
        mark.reset();
        byte[] out = new byte[2];
        mark.read(out, 0, 2);
        mark.mark(1);
        assertThat(mark.available()).isEqualTo(3);
        byte[] rest = new byte[3];
        mark.read(rest, 0, 3);
        mark.reset();
        assertThat(mark.available()).isEqualTo(3);
        mark.read(rest, 0, 3);
        assertThat(new String(rest, StandardCharsets.US_ASCII)).isEqualTo("llo");
    }

    private static String sha(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
