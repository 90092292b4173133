package dev.saker.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling beyond the conformance rows (obfuscated Transfer-Encoding, CL.TE and TE.CL
 * pairs behind a first request), response splitting through application headers, oversized
 * cookies, and what the server reveals about itself.
 */
class SecurityTest {

    private static SakerServer server;
    private static final AtomicInteger handled = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .dispatchMode(DispatchMode.EVENT_LOOP).build(), ex -> {
                    handled.incrementAndGet();
                    String inject = ex.queryParameter("inject");
                    if (inject != null) {
                        ex.responseHeaders().set("X-Echo", inject);
                    }
                    if (ex.path().equals("/boom")) {
                        throw new IllegalStateException("secret internal detail at com.example.Secret");
                    }
                    ex.send("ok " + ex.path());
                }).start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static Stream<Arguments> obfuscatedFraming() {
        return Stream.of(
                Arguments.of("space before colon", "Transfer-Encoding : chunked", 400),
                Arguments.of("vertical tab before value", "Transfer-Encoding:\u000bchunked", 400),
                Arguments.of("form feed after value", "Transfer-Encoding: chunked\u000c", 400),
                Arguments.of("quoted coding", "Transfer-Encoding: \"chunked\"", 400),
                Arguments.of("coding with parameter", "Transfer-Encoding: chunked;q=1", 400),
                Arguments.of("comma-only list", "Transfer-Encoding: ,", 400),
                Arguments.of("x-chunked", "Transfer-Encoding: x-chunked", 501),
                Arguments.of("chunked then identity line", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity", 400),
                Arguments.of("identity then chunked line", "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked", 501),
                Arguments.of("CL.TE", "Content-Length: 6\r\nTransfer-Encoding: chunked", 400),
                Arguments.of("TE.CL", "Transfer-Encoding: chunked\r\nContent-Length: 6", 400),
                Arguments.of("CL with leading zeros is fine", "Content-Length: 003", 200),
                Arguments.of("CL with a tab inside", "Content-Length: 3\t3", 400),
                Arguments.of("underscore name is just another field", "Transfer_Encoding: chunked", 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("obfuscatedFraming")
    void obfuscatedFramingNeverReachesTheHandlerAmbiguously(String name, String fields, int status) throws IOException {
        int before = handled.get();
        try (RawClient client = new RawClient(server.port())) {
            String body = status == 200 && fields.startsWith("Content-Length") ? "abc" : "";
            client.send("POST /first HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n\r\n" + body
                    + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response first = client.read();
            assertThat(first.status()).as(name).isEqualTo(status);
            if (status != 200) {
                assertThat(first.header("Connection")).isEqualTo("close");
                assertThat(client.closedByServer(2_000)).as("connection closed after " + status).isTrue();
                assertThat(handled.get()).as("handler never ran").isEqualTo(before);
            }
        }
    }

    @Test
    void applicationHeaderValuesCannotSplitTheResponse() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /x?inject=a%0d%0aSet-Cookie:%20evil=1 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.header("Set-Cookie")).isNull();
            assertThat(response.header("X-Echo")).isNull();
        }
    }

    @Test
    void oversizedCookiesAreRefusedWith431() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\nCookie: big=" + "c".repeat(9000) + "\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(431);
            assertThat(response.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void errorsAndHeadersRevealNoVersionOrStackTrace() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response failed = client.read();
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.bodyText()).doesNotContain("secret").doesNotContain("Exception").doesNotContain("at ");
            assertThat(failed.header("Server")).isEqualTo("Saker");
            client.send("GET / HTTP/1.1\nHost: a\n\n");
            RawClient.Response bad = client.read();
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.header("Server")).isEqualTo("Saker").doesNotContainPattern("[0-9]");
            assertThat(bad.body()).isEmpty();
        }
    }
}
