package dev.saker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.RawClient;
import dev.saker.servlet.SakerServletContainer;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.context.SakerServletContext;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Spring MVC responses that fail after part of the body was sent: the raw client must see the
 * connection end without the final {@code 0} chunk, so it cannot take the truncated body as whole.
 */
class FailureAfterCommitE2ETest {

    private static SakerServletContainer container;
    private static SakerServer server;

    @BeforeAll
    static void start() throws Exception {
        SakerServletContext context = new SakerServletContext("", FailureAfterCommitE2ETest.class.getClassLoader());
        AnnotationConfigWebApplicationContext app = new AnnotationConfigWebApplicationContext();
        app.register(Config.class);
        ServletRegistration.Dynamic dispatcher = context.addServlet("dispatcher", new DispatcherServlet(app));
        dispatcher.setLoadOnStartup(1);
        dispatcher.setAsyncSupported(true);
        dispatcher.addMapping("/");
        container = new SakerServletContainer(context, ServletContainerConfig.defaults());
        container.start();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.WORKER_POOL).build(), container).start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        container.stop();
    }

    @Test
    void streamingResponseBodyThatThrowsAfterCommitIsAborted() throws Exception {
        String raw = fetchUntilClose("/stream");
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked").contains("first part");
        assertThat(raw).doesNotEndWith("0\r\n\r\n");
    }

    @Test
    void jsonSerializationFailingAfterMoreThan8KiBIsAborted() throws Exception {
        String raw = fetchUntilClose("/rows");
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked");
        assertThat(raw.length()).isGreaterThan(16 * 1024);
        assertThat(raw).doesNotEndWith("0\r\n\r\n");
    }

    @Test
    void theSameEndpointsAnswerWholeWhenNothingFails() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /rows?upTo=10 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response ok = client.read();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.bodyText()).startsWith("[{\"index\":0,").endsWith("}]");
        }
    }

    /**
     * An exception handler that answers a failure met before anything was sent with a whole 200
     * response: Spring records the resolved exception as it does after a commit, but the response
     * is complete and must end normally.
     */
    @Test
    void aWholeResponseWrittenByAnExceptionHandlerEndsNormally() throws Exception {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /fallback HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response fallback = client.read();
            assertThat(fallback.status()).isEqualTo(200);
            // Larger than the 8 KiB buffer: committed by the handler itself, and still whole.
            assertThat(fallback.bodyText()).isEqualTo("fallback: not loaded yet\n" + "-".repeat(12 * 1024));
            client.send("GET /rows?upTo=1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
        }
    }

    /** The same handler, reached by a failure after commit: the body is broken, so the connection is. */
    @Test
    void anExceptionHandlerCannotMakeATruncatedBodyWhole() throws Exception {
        String raw = fetchUntilClose("/late-fallback");
        assertThat(raw).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked");
        assertThat(raw).doesNotEndWith("0\r\n\r\n");
    }

    private static String fetchUntilClose(String path) throws IOException {
        try (RawClient client = new RawClient(server.port(), 10_000)) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
            return new String(client.socket().getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Configuration
    @EnableWebMvc
    static class Config {
        @Bean
        FailingController failingController() {
            return new FailingController();
        }
    }

    /** Endpoints whose body fails half-way. */
    @RestController
    static class FailingController {

        @GetMapping(path = "/stream", produces = MediaType.TEXT_PLAIN_VALUE)
        StreamingResponseBody stream() {
            return out -> {
                // Spring hands the body a stream whose flush does nothing: outgrow the 8 KiB buffer.
                out.write("first part\n".repeat(2000).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                throw new IOException("the upstream feed broke");
            };
        }

        @GetMapping(path = "/fallback", produces = MediaType.TEXT_PLAIN_VALUE)
        String fallback() {
            throw new NotLoadedException();
        }

        @GetMapping(path = "/late-fallback", produces = MediaType.TEXT_PLAIN_VALUE)
        void lateFallback(jakarta.servlet.http.HttpServletResponse response) throws IOException {
            response.setContentType(MediaType.TEXT_PLAIN_VALUE);
            response.getOutputStream().write("partial\n".repeat(2000).getBytes(StandardCharsets.US_ASCII));
            response.flushBuffer();
            throw new NotLoadedException();
        }

        /** A deliberate answer to a failure: status 200 and a whole body. */
        @org.springframework.web.bind.annotation.ExceptionHandler(NotLoadedException.class)
        org.springframework.http.ResponseEntity<String> notLoaded() {
            return org.springframework.http.ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN)
                    .body("fallback: not loaded yet\n" + "-".repeat(12 * 1024));
        }

        @GetMapping(path = "/rows", produces = MediaType.APPLICATION_JSON_VALUE)
        List<Row> rows(@org.springframework.web.bind.annotation.RequestParam(defaultValue = "-1") int upTo) {
            int count = upTo < 0 ? 2000 : upTo;
            List<Row> rows = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                rows.add(new Row(i, upTo < 0 && i == 1500));
            }
            return rows;
        }
    }

    /** A failure the application answers itself. */
    static final class NotLoadedException extends RuntimeException {
        NotLoadedException() {
            super("not loaded yet");
        }
    }

    /** A row whose getter fails for one late element: serialization breaks after ~60 KiB were written. */
    public static final class Row {
        private final int index;
        private final boolean broken;

        Row(int index, boolean broken) {
            this.index = index;
            this.broken = broken;
        }

        public int getIndex() {
            return index;
        }

        public String getPayload() {
            if (broken) {
                throw new IllegalStateException("lazy field failed to load");
            }
            return "some text that makes the row about forty bytes long";
        }
    }
}
