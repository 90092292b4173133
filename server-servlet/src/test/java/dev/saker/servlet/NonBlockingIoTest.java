package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** ReadListener and WriteListener, driven by the engine's backpressure. */
class NonBlockingIoTest {

    /** Reads the whole body without blocking, then writes it back reversed-in-blocks, four times over. */
    static final class EchoServlet extends HttpServlet {
        final AtomicInteger notReady = new AtomicInteger();

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            AsyncContext async = req.startAsync();
            ServletInputStream in = req.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    byte[] buf = new byte[4096];
                    while (in.isReady() && !in.isFinished()) {
                        int n = in.read(buf);
                        if (n < 0) {
                            break;
                        }
                        received.write(buf, 0, n);
                    }
                }

                @Override
                public void onAllDataRead() throws IOException {
                    byte[] body = received.toByteArray();
                    resp.setContentType("application/octet-stream");
                    ServletOutputStream out = resp.getOutputStream();
                    out.setWriteListener(new WriteListener() {
                        private int copies;

                        @Override
                        public void onWritePossible() throws IOException {
                            while (out.isReady()) {
                                if (copies == 4) {
                                    async.complete();
                                    return;
                                }
                                out.write(body);
                                copies++;
                            }
                            notReady.incrementAndGet();
                        }

                        @Override
                        public void onError(Throwable t) {
                            async.complete();
                        }
                    });
                }

                @Override
                public void onError(Throwable t) {
                    async.complete();
                }
            });
        }
    }

    @Test
    void readsAndWritesWithListeners() throws Exception {
        EchoServlet echo = new EchoServlet();
        try (ServletServer server = ServletServer.start("", ctx -> {
            ServletRegistration.Dynamic r = ctx.addServlet("echo", echo);
            r.setAsyncSupported(true);
            r.addMapping("/echo");
        })) {
            byte[] payload = new byte[2 * 1024 * 1024];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i % 253);
            }
            try (RawClient client = new RawClient(server.port(), 30_000)) {
                client.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
                for (int off = 0; off < payload.length; off += 100_000) {
                    int n = Math.min(100_000, payload.length - off);
                    client.send((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] piece = new byte[n];
                    System.arraycopy(payload, off, piece, 0, n);
                    client.send(piece);
                    client.send("\r\n");
                }
                client.send("0\r\n\r\n");
                RawClient.Response response = client.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).hasSize(4 * payload.length);
                for (int copy = 0; copy < 4; copy++) {
                    for (int i = 0; i < payload.length; i += 4099) {
                        assertThat(response.body()[copy * payload.length + i]).isEqualTo(payload[i]);
                    }
                }
            }
            assertThat(echo.notReady.get()).as("the writer was told to wait at least once").isPositive();
        }
    }

    @Test
    void listenersNeedAsyncMode() throws Exception {
        try (ServletServer server = ServletServer.start("", ctx -> ctx.addServlet("x", new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                try {
                    req.getInputStream().setReadListener(null);
                } catch (NullPointerException expected) {
                    try {
                        req.getInputStream().setReadListener(new ReadListener() {
                            @Override
                            public void onDataAvailable() {
                            }

                            @Override
                            public void onAllDataRead() {
                            }

                            @Override
                            public void onError(Throwable t) {
                            }
                        });
                    } catch (IllegalStateException notAsync) {
                        resp.getWriter().print("refused: " + notAsync.getMessage());
                    }
                }
            }
        }).addMapping("/"))) {
            try (RawClient client = new RawClient(server.port())) {
                client.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx");
                assertThat(client.read().bodyText()).isEqualTo("refused: setReadListener needs async mode (startAsync first)");
            }
        }
    }
}
