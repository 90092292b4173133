package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.BadRequestException;
import dev.saker.server.http.BodyConsumer;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.testing.EmbeddedServer;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.RawClient.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-handling table of {@code http1-conformance.md} (rows L, H, B and C), each input sent
 * over a real loopback socket to a real server, in both the event-loop and the worker-pool dispatch
 * modes. Rows that need a timeline (timeouts, half-close, resets, 100-continue, many connections)
 * have their own test methods below the data-driven one; every row id appears in a display name.
 */
class ConformanceTest {

    private static final int READ_TIMEOUT_MS = 5_000;
    private static final String PROBE = "GET /probe HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final int MIB = 1024 * 1024;

    private static final Map<DispatchMode, Srv> SHARED = new LinkedHashMap<>();

    @BeforeAll
    static void startSharedServers() {
        for (DispatchMode mode : new DispatchMode[] {DispatchMode.EVENT_LOOP, DispatchMode.WORKER_POOL}) {
            SHARED.put(mode, Srv.start(mode, b -> b));
        }
    }

    @AfterAll
    static void stopSharedServers() {
        SHARED.values().forEach(Srv::stop);
        SHARED.clear();
    }

    // ================================================================ the table

    /** Every data-driven case of the table; also the corpus of the parser split tests. */
    static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        requestLine(all);
        headerFields(all);
        bodyFraming(all);
        connection(all);
        return all;
    }

    private static void requestLine(List<Case> all) {
        all.add(c("L01", "origin form", "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> assertThat(x.seen.path).isEqualTo("/")));
        all.add(c("L02", "leading empty lines ignored", "\r\n\r\nGET /l02 HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> assertThat(x.seen.path).isEqualTo("/l02")));
        all.add(c("L03", "two spaces after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L04", "space in the target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L05", "control byte 0x01 in the target", "GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L05", "HTAB in the target", "GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L05", "DEL in the target", "GET /a\u007fb HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L05", "raw byte 0x80 in the target", "GET /a\u0080 HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L05", "raw byte 0xE9 in the target", "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L05", "raw byte 0xFF in the target", "GET /\u00ff HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L06", "fragment in the target", "GET /x#frag HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L07", "method not a token", "G(T / HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L08", "unknown but valid method", "PURGE /l08 HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> assertThat(x.seen.method).isEqualTo("PURGE")));
        all.add(c("L09", "lower-case protocol name", "GET / http/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L09", "junk after the version", "GET / HTTP/1.1x\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L09", "leading zero in the version", "GET / HTTP/01.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L10", "HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n").rejected(505));
        all.add(c("L10", "HTTP/3.0", "GET / HTTP/3.0\r\nHost: a\r\n\r\n").rejected(505));
        all.add(c("L11", "HTTP/1.0 without Host", "GET /l11 HTTP/1.0\r\n\r\n").closes()
                .andCheck(x -> assertThat(x.seen.protocol).isEqualTo("HTTP/1.0")));
        all.add(c("L12", "request line longer than the head limit",
                "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n").rejected(414));
        all.add(c("L12", "request line without an end past the head limit", "GET /" + "a".repeat(9000)).rejected(414));
        all.add(c("L13", "asterisk-form with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L14", "OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").andCheck(x -> {
            assertThat(x.seen.method).isEqualTo("OPTIONS");
            assertThat(x.seen.rawTarget).isEqualTo("*");
        }));
        all.add(c("L15", "absolute-form", "GET http://b/x HTTP/1.1\r\nHost: a\r\n\r\n").andCheck(x -> {
            assertThat(x.seen.host).isEqualTo("b");
            assertThat(x.seen.path).isEqualTo("/x");
        }));
        all.add(c("L15", "absolute-form with port and query", "GET http://b:8080/x?q=1 HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> {
                    assertThat(x.seen.host).isEqualTo("b");
                    assertThat(x.seen.path).isEqualTo("/x");
                }));
        all.add(c("L16", "bare LF everywhere", "GET / HTTP/1.1\nHost: a\n\n").rejected(400));
        all.add(c("L16", "bare LF after a field", "GET / HTTP/1.1\r\nHost: a\n\r\n").rejected(400));
        all.add(c("L16", "bare LF as the empty line", "GET / HTTP/1.1\r\nHost: a\r\n\n").rejected(400));
        all.add(c("L16", "bare LF allowed by allowBareLf", "GET /l16 HTTP/1.1\nHost: a\n\n")
                .withConfig(b -> b.allowBareLf(true)).andCheck(x -> assertThat(x.seen.path).isEqualTo("/l16")));
        all.add(c("L17", "bare CR in the target", "GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L17", "bare CR after the method", "GET\r / HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L17", "CR CR LF after the request line", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L17", "bare CR in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n").rejected(400));
        all.add(c("L17", "CR CR LF after a field", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\r\n\r\n").rejected(400));
        all.add(c("L17", "bare CR in a field name", "GET / HTTP/1.1\r\nHost: a\r\nX\rY: a\r\n\r\n").rejected(400));
        all.add(c("L18", "NUL before the method", "\u0000GET / HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L18", "NUL in the method", "G\u0000T / HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L18", "NUL in the target", "GET /a\u0000 HTTP/1.1\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L18", "NUL in the version", "GET / HTTP/1.1\u0000\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("L18", "NUL in a field name", "GET / HTTP/1.1\r\nHost: a\r\nX\u0000: 1\r\n\r\n").rejected(400));
        all.add(c("L18", "NUL in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\u00002\r\n\r\n").rejected(400));
    }

    private static void headerFields(List<Case> all) {
        all.add(c("H01", "HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n").rejected(400));
        all.add(c("H02", "two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").rejected(400));
        all.add(c("H02", "two identical Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n").rejected(400));
        all.add(c("H03", "Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n").rejected(400));
        all.add(c("H03", "Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n").rejected(400));
        all.add(c("H03", "Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n").rejected(400));
        all.add(c("H04", "whitespace before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n").rejected(400));
        all.add(c("H05", "first field line starts with SP", "GET / HTTP/1.1\r\n Host: a\r\n\r\n").rejected(400));
        all.add(c("H05", "first field line starts with HTAB", "GET / HTTP/1.1\r\n\tHost: a\r\n\r\n").rejected(400));
        all.add(c("H06", "obs-fold continuation", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n").rejected(400));
        all.add(c("H07", "non-token byte in a field name", "GET / HTTP/1.1\r\nHost: a\r\nX(Y: 1\r\n\r\n").rejected(400));
        all.add(c("H07", "empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: 1\r\n\r\n").rejected(400));
        all.add(c("H08", "0x01 in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n").rejected(400));
        all.add(c("H08", "ESC in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u001bb\r\n\r\n").rejected(400));
        all.add(c("H08", "DEL in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u007fb\r\n\r\n").rejected(400));
        all.add(c("H08", "HTAB inside a field value is allowed", "GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\r\n\r\n")
                .andCheck(x -> assertThat(x.seen.header("X")).isEqualTo("a\tb")));
        all.add(c("H09", "obs-text in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX: caf\u00e9 \u0080\u00ff\r\n\r\n")
                .andCheck(x -> assertThat(x.seen.header("X")).isEqualTo("caf\u00e9 \u0080\u00ff")));
        all.add(c("H10", "one field past the head limit",
                "GET / HTTP/1.1\r\nHost: a\r\nX: " + "a".repeat(9000) + "\r\n\r\n").rejected(431));
        all.add(c("H10", "many fields past the head limit",
                "GET / HTTP/1.1\r\nHost: a\r\n" + fields(60, "X-F%d: " + "b".repeat(200)) + "\r\n").rejected(431));
        all.add(c("H11", "101 fields", "GET / HTTP/1.1\r\nHost: a\r\n" + fields(100, "X-%d: 1") + "\r\n").rejected(431));
        all.add(c("H11", "100 fields, at the limit", "GET / HTTP/1.1\r\nHost: a\r\n" + fields(99, "X-%d: 1") + "\r\n")
                .andCheck(x -> assertThat(x.seen.headers).hasSize(100)));
        all.add(c("H12", "10 000 one-byte fields sent fast, count limit",
                "GET / HTTP/1.1\r\nHost: a\r\n" + "a:1\r\n".repeat(10_000) + "\r\n").rejected(431)
                .within(Duration.ofSeconds(2), Duration.ofMillis(500)));
        all.add(c("H12", "10 000 one-byte fields sent fast, size limit",
                "GET / HTTP/1.1\r\nHost: a\r\n" + "a:1\r\n".repeat(10_000) + "\r\n").rejected(431)
                .withConfig(b -> b.maxHeaderCount(10_000)).within(Duration.ofSeconds(2), Duration.ofMillis(500)));
        all.add(c("H13", "value trimmed of spaces and tabs", "GET / HTTP/1.1\r\nHost: a\r\nX: \t a b \t \r\nY:z\r\nZ: \t\r\n\r\n")
                .andCheck(x -> {
                    assertThat(x.seen.header("X")).isEqualTo("a b");
                    assertThat(x.seen.header("Y")).isEqualTo("z");
                    assertThat(x.seen.header("Z")).isEmpty();
                }));
        all.add(c("H15", "unknown expectation",
                "POST / HTTP/1.1\r\nHost: a\r\nExpect: something-else\r\nContent-Length: 0\r\n\r\n").rejected(417));
    }

    private static void bodyFraming(List<Case> all) {
        String post = "POST /read HTTP/1.1\r\nHost: a\r\n";
        String chunkedPost = post + "Transfer-Encoding: chunked\r\n\r\n";
        all.add(c("B01", "Content-Length then Transfer-Encoding",
                post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n").rejected(400));
        all.add(c("B01", "Transfer-Encoding then Content-Length",
                post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n").rejected(400));
        all.add(c("B02", "two Content-Length fields", post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello")
                .rejected(400));
        all.add(c("B02", "Content-Length: 5, 5", post + "Content-Length: 5, 5\r\n\r\nhello").rejected(400));
        all.add(c("B02", "Content-Length: 5, 6", post + "Content-Length: 5, 6\r\n\r\nhello!").rejected(400));
        for (String bad : new String[] {"+5", "-1", "0x5", "5.0", "", "5 5"}) {
            all.add(c("B03", "Content-Length '" + bad + "'", post + "Content-Length: " + bad + "\r\n\r\nhello").rejected(400));
        }
        all.add(c("B04", "Content-Length of 20 nines", post + "Content-Length: " + "9".repeat(20) + "\r\n\r\n").rejected(400));
        all.add(c("B04", "Content-Length of 19 nines", post + "Content-Length: " + "9".repeat(19) + "\r\n\r\n").rejected(400));
        all.add(c("B04", "Content-Length of 2^63", post + "Content-Length: 9223372036854775808\r\n\r\n").rejected(400));
        all.add(c("B05", "gzip, chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n").rejected(501));
        all.add(c("B05", "gzip and chunked on two lines",
                post + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").rejected(501));
        all.add(c("B06", "chunked, gzip", post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n").rejected(400));
        all.add(c("B07", "chunked, chunked", post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n").rejected(400));
        all.add(c("B07", "chunked on two lines",
                post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").rejected(400));
        all.add(c("B08", "xchunked", post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n").rejected(501));
        all.add(c("B08", "identity", post + "Transfer-Encoding: identity\r\n\r\nhello").rejected(501));
        all.add(c("B09", "Transfer-Encoding: Chunked", post + "Transfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                .andCheck(x -> assertThat(x.response.bodyText()).isEqualTo("hello")));
        all.add(c("B09", "Transfer-Encoding: CHUNKED", post + "Transfer-Encoding: CHUNKED\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                .andCheck(x -> assertThat(x.response.bodyText()).isEqualTo("hello")));
        all.add(c("B10", "chunked in HTTP/1.0",
                "POST /read HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n").rejected(400));
        all.add(c("B11", "chunk size zz", chunkedPost + "zz\r\nhello\r\n0\r\n\r\n").bodyError(400));
        all.add(c("B11", "chunk size 0x5", chunkedPost + "0x5\r\nhello\r\n0\r\n\r\n").bodyError(400));
        all.add(c("B11", "chunk size with a leading space", chunkedPost + " 5\r\nhello\r\n0\r\n\r\n").bodyError(400));
        all.add(c("B11", "chunk size of 17 hex digits", chunkedPost + "00000000000000005\r\nhello\r\n0\r\n\r\n").bodyError(400));
        all.add(c("B11", "chunk size overflowing 63 bits", chunkedPost + "ffffffffffffffff\r\nhello\r\n0\r\n\r\n")
                .bodyError(400));
        all.add(c("B12", "chunk extension", chunkedPost + "5;name=value\r\nhello\r\n0;last\r\n\r\n")
                .andCheck(x -> assertThat(x.response.bodyText()).isEqualTo("hello")));
        all.add(c("B12", "chunk extension with a quoted value", chunkedPost + "5 ; a=\"b c\";d\r\nhello\r\n0\r\n\r\n")
                .andCheck(x -> assertThat(x.response.bodyText()).isEqualTo("hello")));
        all.add(c("B12", "one chunk extension past the bound",
                chunkedPost + "5;a=" + "b".repeat(5000) + "\r\nhello\r\n0\r\n\r\n").bodyError(400));
        all.add(c("B12", "extensions past the bound in total",
                chunkedPost + "1;ext=abcdefghij\r\nx\r\n".repeat(500) + "0\r\n\r\n").bodyError(400));
        all.add(c("B13", "chunk data followed by a byte other than CR", chunkedPost + "5\r\nhelloX\r\n0\r\n\r\n").bodyError(400));
        all.add(c("B13", "chunk data followed by a bare LF", chunkedPost + "5\r\nhello\n0\r\n\r\n").bodyError(400));
        all.add(c("B13", "chunk data longer than its size", chunkedPost + "5\r\nhello world\r\n0\r\n\r\n").bodyError(400));
        all.add(c("B14", "trailer fields",
                chunkedPost + "5\r\nhello\r\n0\r\nX-T: 1\r\nContent-Length: 5\r\nHost: evil\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n")
                .andCheck(x -> {
                    assertThat(x.response.bodyText()).isEqualTo("hello");
                    assertThat(x.seen.trailers).containsExactly(Map.entry("X-T", "1"));
                }));
        all.add(c("B14", "trailer section past the head limit",
                chunkedPost + "5\r\nhello\r\n0\r\nX-T: " + "t".repeat(9000) + "\r\n\r\n").bodyError(431));
        all.add(c("B14", "more trailer fields than the limit",
                chunkedPost + "5\r\nhello\r\n0\r\n" + fields(101, "X-T%d: 1") + "\r\n").bodyError(431));
        all.add(c("B14", "obs-fold in a trailer", chunkedPost + "5\r\nhello\r\n0\r\nX-T: 1\r\n 2\r\n\r\n").bodyError(400));
        all.add(c("B16", "Content-Length over the maximum", post + "Content-Length: 11\r\n\r\nhello world")
                .withConfig(b -> b.maxRequestBodySize(10)).rejected(413));
        all.add(c("B16", "chunked body over the maximum", chunkedPost + "6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n")
                .withConfig(b -> b.maxRequestBodySize(10)).bodyError(413));
        all.add(c("B16", "Content-Length at the maximum", post + "Content-Length: 10\r\n\r\nhelloworld")
                .withConfig(b -> b.maxRequestBodySize(10))
                .andCheck(x -> assertThat(x.response.bodyText()).isEqualTo("helloworld")));
        all.add(c("B17", "GET with an unread body, then a second request",
                "GET /first HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /second HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> expectNext(x, "/second")));
        all.add(c("B17", "GET with an unread chunked body, then a second request",
                "GET /first HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                        + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> expectNext(x, "/second")));
        all.add(c("B17", "GET with a body the handler reads, then a second request",
                "GET /read HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /second HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> {
                    assertThat(x.response.bodyText()).isEqualTo("hello");
                    expectNext(x, "/second");
                }));
        all.add(c("B18", "error answered without reading a body over the drain limit",
                "POST /reject HTTP/1.1\r\nHost: a\r\nContent-Length: " + 3 * MIB + "\r\n\r\n" + "x".repeat(1000))
                .answers(403).closes().andCheck(x -> awaitCount(() -> x.stats().connectionsClosed(CloseReason.UNREAD_BODY),
                        x.closedUnreadBefore + 1)));
        all.add(c("B18", "error answered without reading a body under the drain limit (drained)",
                "POST /reject HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000)).answers(403));
    }

    private static void connection(List<Case> all) {
        all.add(c("C01", "three pipelined requests in one packet",
                "GET /c01/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /c01/2 HTTP/1.1\r\nHost: a\r\n\r\n"
                        + "GET /c01/3 HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> {
                    assertThat(x.seen.path).isEqualTo("/c01/1");
                    assertThat(x.response.bodyText()).isEqualTo("ok /c01/1");
                    expectNext(x, "/c01/2");
                    expectNext(x, "/c01/3");
                }));
        all.add(c("C02", "Connection: close, then another request in the same packet",
                "GET /first HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /second HTTP/1.1\r\nHost: a\r\n\r\n")
                .closes().andCheck(x -> {
                    assertThat(x.client.closedByServer(3_000)).as("closed after the first response").isTrue();
                    assertThat(x.srv.recorder.seen).as("the second request never reaches the handler").isEmpty();
                }));
        all.add(c("C03", "HTTP/1.0 with Connection: keep-alive", "GET /c03 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                .andCheck(x -> {
                    assertThat(x.response.header("Connection")).isEqualToIgnoringCase("keep-alive");
                    assertThat(x.response.header("Content-Length")).isEqualTo("7");
                }));
        all.add(c("C04", "HEAD of a sent body", "HEAD /c04 HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> headLikeGet(x, "/c04", "ok /c04")));
        all.add(c("C04", "HEAD of a small streamed body", "HEAD /stream-small HTTP/1.1\r\nHost: a\r\n\r\n")
                .andCheck(x -> headLikeGet(x, "/stream-small", "streamed")));
        for (String status : new String[] {"204", "304"}) {
            for (String how : new String[] {"send", "stream", "none"}) {
                all.add(c("C05", status + " answered by " + how,
                        "GET /status/" + status + "?" + how + " HTTP/1.1\r\nHost: a\r\n\r\n")
                        .answers(Integer.parseInt(status)).andCheck(x -> {
                            assertThat(x.response.header("Transfer-Encoding")).isNull();
                            if (status.equals("204")) {
                                assertThat(x.response.header("Content-Length")).isNull();
                            }
                        }));
            }
        }
        all.add(c("C11", "Upgrade: websocket", "GET /c11 HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .andCheck(x -> assertThat(x.response.bodyText()).isEqualTo("ok /c11")));
        all.add(c("C11", "Upgrade: h2c", "GET /c11 HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n")
                .andCheck(x -> assertThat(x.response.bodyText()).isEqualTo("ok /c11")));
    }

    /** Request heads of the rows tested by their own methods, for the parser split tests. */
    static Map<String, String> specialRequests() {
        Map<String, String> heads = new LinkedHashMap<>();
        heads.put("H14 expect 100-continue",
                "POST /later HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        heads.put("H14 expect 100-continue in HTTP/1.0",
                "POST /later HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        heads.put("B15 truncated Content-Length body", "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        heads.put("B15 truncated chunked body", "POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
        heads.put("C06 request then half-close", "GET /c06 HTTP/1.1\r\nHost: a\r\n\r\n");
        heads.put("C08 slowloris head", "GET /slow HTTP/1.1\r\nHost: a\r\nX-Slow: " + "s".repeat(100));
        heads.put("C09 keep-alive request", "GET /c09 HTTP/1.1\r\nHost: a\r\n\r\n");
        return heads;
    }

    // ================================================================ the data-driven test

    static Stream<Arguments> matrix() {
        List<Arguments> args = new ArrayList<>();
        for (Case c : cases()) {
            args.add(Arguments.of(c, DispatchMode.EVENT_LOOP));
            args.add(Arguments.of(c, DispatchMode.WORKER_POOL));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("matrix")
    void conformance(Case c, DispatchMode mode) throws Exception {
        Srv srv = c.config() == null ? SHARED.get(mode) : Srv.start(mode, c.config());
        try {
            runCase(c, srv);
        } finally {
            if (c.config() != null) {
                srv.stop();
            }
        }
    }

    private static void runCase(Case c, Srv srv) throws Exception {
        srv.recorder.seen.clear();
        ServerStats stats = srv.server.stats();
        long parseErrorsBefore = stats.parseErrorsTotal();
        long closedUnreadBefore = stats.connectionsClosed(CloseReason.UNREAD_BODY);
        long cpuBefore = ioThreadsCpuNanos();
        long start = System.nanoTime();
        try (RawClient client = new RawClient(srv.server.port(), READ_TIMEOUT_MS)) {
            sendQuietly(client, c.raw());
            Response response = client.read(c.isHead());
            long elapsed = System.nanoTime() - start;
            assertThat(response.status()).as("status").isEqualTo(c.status());
            if (c.maxTime() != null) {
                assertThat(Duration.ofNanos(elapsed)).as("time to answer").isLessThan(c.maxTime());
                assertThat(Duration.ofNanos(ioThreadsCpuNanos() - cpuBefore)).as("event-loop CPU").isLessThan(c.maxCpu());
            }
            Seen seen = null;
            if (c.handlerRuns()) {
                seen = srv.recorder.seen.poll(2, TimeUnit.SECONDS);
                assertThat(seen).as("the handler ran").isNotNull();
            } else {
                assertThat(srv.recorder.seen).as("the handler did not run").isEmpty();
            }
            if (c.check() != null) {
                c.check().verify(new Ctx(srv, client, response, seen, closedUnreadBefore));
            }
            if (c.conn() == Conn.OPEN) {
                assertThat(String.valueOf(response.header("Connection"))).as("Connection field")
                        .doesNotContainIgnoringCase("close");
                probe(srv, client);
            } else {
                assertThat(response.header("Connection")).as("Connection field").isEqualToIgnoringCase("close");
                assertThat(client.closedByServer(3_000)).as("closed by the server").isTrue();
            }
            if (!c.handlerRuns()) {
                assertThat(srv.recorder.seen).as("the handler did not run").isEmpty();
            }
        }
        awaitCount(stats::parseErrorsTotal, parseErrorsBefore + c.parseErrors());
        assertThat(stats.parseErrorsTotal() - parseErrorsBefore).as("parse errors counted").isEqualTo(c.parseErrors());
    }

    /** The connection stays usable: another request on it is answered and reaches the handler. */
    private static void probe(Srv srv, RawClient client) throws Exception {
        srv.recorder.seen.clear();
        client.send(PROBE);
        Response response = client.read();
        assertThat(response.status()).as("probe status on the same connection").isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("ok /probe");
        Seen seen = srv.recorder.seen.poll(2, TimeUnit.SECONDS);
        assertThat(seen).isNotNull();
        assertThat(seen.path).isEqualTo("/probe");
    }

    private static void expectNext(Ctx x, String path) throws Exception {
        Response next = x.client.read();
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.bodyText()).isEqualTo("ok " + path);
        Seen seen = x.srv.recorder.seen.poll(2, TimeUnit.SECONDS);
        assertThat(seen).isNotNull();
        assertThat(seen.path).isEqualTo(path);
    }

    private static void headLikeGet(Ctx x, String path, String body) throws Exception {
        assertThat(x.seen.method).isEqualTo("HEAD");
        assertThat(x.response.body()).isEmpty();
        String length = x.response.header("Content-Length");
        assertThat(length).as("HEAD Content-Length").isEqualTo(String.valueOf(body.length()));
        x.client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n");
        Response get = x.client.read();
        assertThat(get.header("Content-Length")).isEqualTo(length);
        assertThat(get.header("Content-Type")).isEqualTo(x.response.header("Content-Type"));
        assertThat(get.bodyText()).isEqualTo(body);
        x.srv.recorder.seen.poll(2, TimeUnit.SECONDS);
    }

    // ================================================================ rows with a timeline

    @Test
    @DisplayName("C01 three pipelined requests in one read leave in one flush")
    void c01PipelinedResponsesShareOneFlush() {
        try (EmbeddedServer server = new EmbeddedServer(ServerConfig.builder().build(), ex -> ex.send("ok " + ex.path()))) {
            AtomicInteger flushes = new AtomicInteger();
            server.channel().pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
                @Override
                public void flush(ChannelHandlerContext ctx) {
                    flushes.incrementAndGet();
                    ctx.flush();
                }
            });
            server.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
            String out = server.received();
            assertThat(out.indexOf("ok /1")).isPositive().isLessThan(out.indexOf("ok /2"));
            assertThat(out.indexOf("ok /2")).isLessThan(out.indexOf("ok /3"));
            assertThat(flushes.get()).as("flushes for three pipelined responses").isEqualTo(1);
            assertThat(server.isOpen()).isTrue();
        }
    }

    @ParameterizedTest(name = "H14 100 Continue only when the handler reads [{0}]")
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP", "WORKER_POOL"})
    void h14ContinueOnlyWhenTheHandlerReads(DispatchMode mode) throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<HttpExchange> parked = new CompletableFuture<>();
        HttpHandler handler = ex -> {
            if (!ex.path().equals("/later")) {
                ex.send("answered without reading");
            } else if (mode == DispatchMode.WORKER_POOL) {
                assertThat(gate.await(5, TimeUnit.SECONDS)).isTrue();
                ex.send(ex.requestBody().asInputStream().readAllBytes());
            } else {
                ex.async();
                parked.complete(ex);
            }
        };
        SakerServer server = start(config(mode), handler);
        try (RawClient client = new RawClient(server.port(), READ_TIMEOUT_MS)) {
            client.send("POST /later HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(client.readAvailable(300)).as("nothing before the handler reads").isEmpty();
            if (mode == DispatchMode.WORKER_POOL) {
                gate.countDown();
            } else {
                HttpExchange ex = parked.get(5, TimeUnit.SECONDS);
                readAll(ex, (body, error) -> ex.send(body));
            }
            Response interim = client.read();
            assertThat(interim.status()).as("interim response once the handler reads").isEqualTo(100);
            client.send("hello");
            Response last = client.read();
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.bodyText()).isEqualTo("hello");
            client.send(PROBE);
            assertThat(client.read().status()).isEqualTo(200);
            try (RawClient other = new RawClient(server.port(), READ_TIMEOUT_MS)) {
                other.send("POST /now HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
                Response first = other.read();
                assertThat(first.status()).as("no 100 Continue when the handler does not read").isEqualTo(200);
                assertThat(first.bodyText()).isEqualTo("answered without reading");
                assertThat(other.readAvailable(200)).doesNotContain("100 Continue");
            }
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest(name = "B15 EOF inside a body fails the handler's read [{0}]")
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP", "WORKER_POOL"})
    void b15EofInsideABody(DispatchMode mode) throws Exception {
        Srv srv = SHARED.get(mode);
        String[] inputs = {
            "POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc",
            "POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
            "POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        };
        for (String input : inputs) {
            for (boolean fullClose : new boolean[] {false, true}) {
                srv.recorder.seen.clear();
                long parseErrors = srv.server.stats().parseErrorsTotal();
                try (RawClient client = new RawClient(srv.server.port(), READ_TIMEOUT_MS)) {
                    client.send(input);
                    if (fullClose) {
                        client.close();
                    } else {
                        client.shutdownOutput();
                    }
                    Seen seen = srv.recorder.seen.poll(3, TimeUnit.SECONDS);
                    assertThat(seen).as("handler ran for %s", input).isNotNull();
                    assertThat(seen.error).as("the handler's read fails").isInstanceOf(IOException.class)
                            .isNotInstanceOf(BadRequestException.class);
                    if (!fullClose) {
                        drainUntilClosed(client);
                    }
                }
                assertThat(srv.recorder.seen.poll(100, TimeUnit.MILLISECONDS)).as("nothing else on that connection").isNull();
                assertThat(srv.server.stats().parseErrorsTotal()).isEqualTo(parseErrors);
            }
        }
    }

    @ParameterizedTest(name = "B18 chunked body over the drain limit closes instead of draining [{0}]")
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP", "WORKER_POOL"})
    void b18ChunkedBodyOverTheDrainLimit(DispatchMode mode) throws Exception {
        Srv srv = SHARED.get(mode);
        long closedUnread = srv.server.stats().connectionsClosed(CloseReason.UNREAD_BODY);
        try (RawClient client = new RawClient(srv.server.port(), READ_TIMEOUT_MS)) {
            client.send("POST /reject HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            Response response = client.read();
            assertThat(response.status()).isEqualTo(403);
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < 48 && sendQuietly(client, chunk); i++) {
                // 3 MiB at most; the server closes once 2 MiB have been drained
            }
            assertThat(client.closedByServer(5_000)).as("closed past the drain limit").isTrue();
        }
        awaitCount(() -> srv.server.stats().connectionsClosed(CloseReason.UNREAD_BODY), closedUnread + 1);
    }

    @ParameterizedTest(name = "C06 half-close after full requests, responses still delivered [{0}]")
    @EnumSource(value = DispatchMode.class, names = {"EVENT_LOOP", "WORKER_POOL"})
    void c06HalfClose(DispatchMode mode) throws Exception {
        Srv srv = SHARED.get(mode);
        try (RawClient client = new RawClient(srv.server.port(), READ_TIMEOUT_MS)) {
            client.send("GET /c06 HTTP/1.1\r\nHost: a\r\n\r\n");
            client.shutdownOutput();
            Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("ok /c06");
            assertThat(client.closedByServer(3_000)).isTrue();
        }
        try (RawClient client = new RawClient(srv.server.port(), READ_TIMEOUT_MS)) {
            client.send("POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
            client.shutdownOutput();
            Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
            assertThat(client.closedByServer(3_000)).isTrue();
        }
        try (RawClient client = new RawClient(srv.server.port(), READ_TIMEOUT_MS)) {
            client.send("GET /c06/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /c06/2 HTTP/1.1\r\nHost: a\r\n\r\n");
            client.shutdownOutput();
            assertThat(client.read().bodyText()).isEqualTo("ok /c06/1");
            assertThat(client.read().bodyText()).as("second pipelined response").isEqualTo("ok /c06/2");
            assertThat(client.closedByServer(3_000)).isTrue();
        }
        try (RawClient client = new RawClient(srv.server.port(), READ_TIMEOUT_MS)) {
            client.send("GET /c06/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /c06/2 HTTP/1.1\r\nHo");
            client.shutdownOutput();
            assertThat(client.read().bodyText()).as("the complete request is answered").isEqualTo("ok /c06/1");
            assertThat(client.closedByServer(3_000)).isTrue();
        }
    }

    @Test
    @DisplayName("C07 client reset during the response is counted, with no stack trace at WARN")
    void c07ClientResetDuringTheResponse() throws Exception {
        CompletableFuture<Throwable> writeFailure = new CompletableFuture<>();
        HttpHandler handler = ex -> {
            byte[] piece = new byte[16 * 1024];
            try {
                OutputStream out = ex.responseBody();
                for (int i = 0; i < 16 * 1024; i++) {
                    out.write(piece);
                }
                out.close();
                writeFailure.complete(null);
            } catch (IOException e) {
                writeFailure.complete(e);
                throw e;
            }
        };
        SakerServer server = start(config(DispatchMode.WORKER_POOL), handler);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new TeeStream(original, log), true, StandardCharsets.UTF_8));
        try {
            try (RawClient client = new RawClient(server.port(), READ_TIMEOUT_MS)) {
                client.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
                InputStream in = client.socket().getInputStream();
                assertThat(in.readNBytes(64 * 1024)).hasSize(64 * 1024);
                client.socket().setSoLinger(true, 0);
            }
            assertThat(writeFailure.get(5, TimeUnit.SECONDS)).as("the handler's write fails").isInstanceOf(IOException.class);
            awaitCount(() -> server.stats().connectionsClosed(CloseReason.RESET), 1);
            awaitCount(() -> server.stats().connectionsActive() == 0 ? 1 : 0, 1);
        } finally {
            System.setErr(original);
            server.stop();
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("log during the reset").doesNotContain("WARN").doesNotContain("ERROR")
                .doesNotContain("\tat ");
    }

    @Test
    @DisplayName("C08 slowloris: 408 and close at the whole-head deadline, however steady the trickle")
    void c08Slowloris() throws Exception {
        SakerServer server = start(config(DispatchMode.EVENT_LOOP), ex -> ex.send("ok " + ex.path()));
        try {
            byte[] head = specialRequests().get("C08 slowloris head").getBytes(StandardCharsets.ISO_8859_1);
            try (RawClient client = new RawClient(server.port(), READ_TIMEOUT_MS)) {
                Duration took = trickle(client, head);
                assertThat(took).as("408 after the head deadline").isGreaterThanOrEqualTo(Duration.ofMillis(600))
                        .isLessThan(Duration.ofMillis(2_000));
                Response response = client.read();
                assertThat(response.status()).isEqualTo(408);
                assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
                assertThat(client.closedByServer(3_000)).isTrue();
            }
            // The deadline also holds for a later head on a kept-alive connection.
            try (RawClient client = new RawClient(server.port(), READ_TIMEOUT_MS)) {
                client.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(200);
                Duration took = trickle(client, head);
                assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(600)).isLessThan(Duration.ofMillis(2_000));
                assertThat(client.read().status()).isEqualTo(408);
                assertThat(client.closedByServer(3_000)).isTrue();
            }
            awaitCount(() -> server.stats().timeouts(TimeoutKind.HEAD), 2);
            awaitCount(() -> server.stats().connectionsClosed(CloseReason.HEAD_TIMEOUT), 2);
        } finally {
            server.stop();
        }
    }

    @Test
    @DisplayName("C09 idle keep-alive connection closed silently after the keep-alive timeout")
    void c09IdleKeepAlive() throws Exception {
        SakerServer server = start(config(DispatchMode.EVENT_LOOP), ex -> ex.send("ok " + ex.path()));
        try {
            try (RawClient client = new RawClient(server.port(), READ_TIMEOUT_MS)) {
                // The server's idle period starts after the request arrived, so never before this:
                // a lower bound that holds however late this thread sees the response.
                long idleSince = System.nanoTime();
                client.send(specialRequests().get("C09 keep-alive request"));
                assertThat(client.read().status()).isEqualTo(200);
                assertThat(client.closedByServer(3_000)).as("closed silently (EOF, no bytes)").isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - idleSince)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            }
            awaitCount(() -> server.stats().timeouts(TimeoutKind.KEEP_ALIVE), 1);
            // The close is counted when the channel has gone inactive, a moment after the timeout.
            awaitCount(() -> server.stats().connectionsClosed(CloseReason.KEEP_ALIVE_TIMEOUT), 1);
            // A connection that never sends a byte goes the same way, on the head deadline.
            try (RawClient client = new RawClient(server.port(), READ_TIMEOUT_MS)) {
                long idleSince = System.nanoTime();
                assertThat(client.closedByServer(3_000)).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - idleSince)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            }
            awaitCount(() -> server.stats().timeouts(TimeoutKind.HEAD), 1);
        } finally {
            server.stop();
        }
    }

    @Test
    @DisplayName("C10 at the connection limit accepting pauses: a further connection waits in the backlog, never reset")
    void c10ConnectionLimit() throws Exception {
        SakerServer server = start(config(DispatchMode.WORKER_POOL).maxConnections(2), ex -> ex.send("ok " + ex.path()));
        try (RawClient a = new RawClient(server.port(), READ_TIMEOUT_MS);
             RawClient b = new RawClient(server.port(), READ_TIMEOUT_MS)) {
            for (RawClient client : new RawClient[] {a, b}) {
                client.send("GET /in HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(200);
            }
            awaitCount(() -> server.acceptingPaused() ? 1 : 0, 1);
            try (RawClient extra = new RawClient(server.port(), READ_TIMEOUT_MS)) {
                extra.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(extra.closedByServer(300)).as("connection over the limit waits").isFalse();
                for (RawClient client : new RawClient[] {a, b}) {
                    client.send("GET /still HTTP/1.1\r\nHost: a\r\n\r\n");
                    assertThat(client.read().bodyText()).isEqualTo("ok /still");
                }
                a.close();
                assertThat(extra.read().bodyText()).as("a freed slot is used by the waiting connection").isEqualTo("ok /next");
            }
            assertThat(server.stats().connectionsAccepted()).isEqualTo(3);
        } finally {
            server.stop();
        }
    }

    // ================================================================ helpers

    /** Sends {@code head} one byte at a time until the server answers; returns the time from the first byte. */
    private static Duration trickle(RawClient client, byte[] head) throws IOException {
        InputStream in = client.socket().getInputStream();
        long start = System.nanoTime();
        for (int i = 0; i < head.length && in.available() == 0; i++) {
            if (!sendQuietly(client, new byte[] {head[i]})) {
                break;
            }
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(40);
            while (System.nanoTime() < until && in.available() == 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
        assertThat(in.available()).as("server answered before the trickle ended").isPositive();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Reads (and drops) whatever the server still sends until it closes; fails after 5 s. */
    private static void drainUntilClosed(RawClient client) throws IOException {
        InputStream in = client.socket().getInputStream();
        byte[] sink = new byte[4096];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        client.socket().setSoTimeout(1_000);
        while (System.nanoTime() < deadline) {
            try {
                if (in.read(sink) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // keep waiting until the deadline
            } catch (IOException e) {
                return;
            }
        }
        throw new AssertionError("the server did not close the connection");
    }

    static ServerConfig.Builder config(DispatchMode mode) {
        return ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(mode == DispatchMode.EVENT_LOOP ? 1 : 2)
                .dispatchMode(mode).workerThreads(8).headTimeout(Duration.ofMillis(600))
                .keepAliveTimeout(Duration.ofMillis(600)).bodyReadTimeout(Duration.ofSeconds(3));
    }

    private static SakerServer start(ServerConfig.Builder config, HttpHandler handler) {
        return SakerServer.create(config.build(), handler).start();
    }

    /** @return false when the server already closed (expected for inputs it rejects early) */
    static boolean sendQuietly(RawClient client, byte[] bytes) {
        try {
            client.send(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls {@code counter} until it reaches {@code expected} (or 3 s pass), then asserts it equals it. */
    static void awaitCount(LongSupplier counter, long expected) {
        Poll.until(Duration.ofSeconds(3), () -> counter.getAsLong() >= expected);
        assertThat(counter.getAsLong()).isEqualTo(expected);
    }

    private static long ioThreadsCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("saker-io")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static String fields(int count, String format) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(String.format(format, i)).append("\r\n");
        }
        return out.toString();
    }

    /** Reads a whole body with the non-blocking API (event-loop handlers), then calls {@code done}. */
    static void readAll(HttpExchange ex, BodyDone done) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ex.requestBody().read(new BodyConsumer() {
            @Override
            public void onData(ByteBuf data, boolean last) {
                byte[] bytes = new byte[data.readableBytes()];
                data.readBytes(bytes);
                body.write(bytes, 0, bytes.length);
                if (last) {
                    done.accept(body.toByteArray(), null);
                } else {
                    ex.requestBody().read(this);
                }
            }

            @Override
            public void onError(IOException error) {
                done.accept(null, error);
            }
        });
    }

    interface BodyDone {
        void accept(byte[] body, IOException error);
    }

    // ================================================================ the handler and what it saw

    /** What the handler saw of one request. */
    static final class Seen {
        final String method;
        final String rawTarget;
        final String path;
        final String host;
        final String protocol;
        final List<Map.Entry<String, String>> headers;
        byte[] body;
        IOException error;
        List<Map.Entry<String, String>> trailers = List.of();

        Seen(HttpExchange ex) {
            method = ex.method();
            rawTarget = ex.rawTarget();
            path = ex.path();
            host = ex.host();
            protocol = ex.protocol();
            headers = entries(ex.requestHeaders());
        }

        String header(String name) {
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        static List<Map.Entry<String, String>> entries(HttpHeaders headers) {
            List<Map.Entry<String, String>> list = new ArrayList<>();
            for (int i = 0; i < headers.size(); i++) {
                list.add(Map.entry(headers.name(i), headers.value(i)));
            }
            return Collections.unmodifiableList(list);
        }
    }

    /**
     * The test handler. {@code /read} reads the whole body and echoes it (blocking on a worker,
     * non-blocking on the event loop); {@code /reject} answers 403 without reading;
     * {@code /status/N?how} answers status N with a body sent, streamed or absent;
     * {@code /stream-small} streams a body that fits the response buffer; anything else answers
     * {@code ok <path>}. Every request is recorded before its response is sent.
     */
    static final class Recorder implements HttpHandler {
        final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        private final boolean blocking;

        Recorder(boolean blocking) {
            this.blocking = blocking;
        }

        @Override
        public void handle(HttpExchange ex) throws IOException {
            Seen s = new Seen(ex);
            String path = ex.path();
            if (path.equals("/read")) {
                read(ex, s);
                return;
            }
            seen.add(s);
            if (path.equals("/reject")) {
                ex.status(403).send("rejected");
            } else if (path.startsWith("/status/")) {
                ex.status(Integer.parseInt(path.substring("/status/".length())));
                if ("stream".equals(ex.rawQuery())) {
                    OutputStream out = ex.responseBody();
                    out.write("ignored".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    out.close();
                } else if ("send".equals(ex.rawQuery())) {
                    ex.send("ignored");
                }
            } else if (path.equals("/stream-small")) {
                try (OutputStream out = ex.responseBody()) {
                    out.write("streamed".getBytes(StandardCharsets.US_ASCII));
                }
            } else {
                ex.send("ok " + path);
            }
        }

        private void read(HttpExchange ex, Seen s) throws IOException {
            if (blocking) {
                try {
                    s.body = ex.requestBody().asInputStream().readAllBytes();
                } catch (IOException e) {
                    s.error = e;
                    seen.add(s);
                    throw e;
                }
                s.trailers = Seen.entries(ex.requestBody().trailers());
                seen.add(s);
                ex.send(s.body);
                return;
            }
            ex.async();
            readAll(ex, (body, error) -> {
                s.body = body;
                s.error = error;
                if (error == null) {
                    s.trailers = Seen.entries(ex.requestBody().trailers());
                }
                seen.add(s);
                if (error == null) {
                    ex.send(body);
                } else {
                    ex.status(error instanceof BadRequestException ? ((BadRequestException) error).status() : 500);
                    ex.responseHeaders().set("Connection", "close");
                    ex.send("");
                }
            });
        }
    }

    /** A running server with its recording handler. */
    static final class Srv {
        final SakerServer server;
        final Recorder recorder;

        private Srv(SakerServer server, Recorder recorder) {
            this.server = server;
            this.recorder = recorder;
        }

        static Srv start(DispatchMode mode, UnaryOperator<ServerConfig.Builder> tweak) {
            Recorder recorder = new Recorder(mode != DispatchMode.EVENT_LOOP);
            ServerConfig.Builder b = config(mode).headTimeout(Duration.ofSeconds(2)).keepAliveTimeout(Duration.ofSeconds(2));
            return new Srv(SakerServer.create(tweak.apply(b).build(), recorder).start(), recorder);
        }

        void stop() {
            server.stop();
        }
    }

    // ================================================================ cases

    enum Conn { OPEN, CLOSE }

    /** What an extra check of a case gets. */
    static final class Ctx {
        final Srv srv;
        final RawClient client;
        final Response response;
        final Seen seen;
        final long closedUnreadBefore;

        Ctx(Srv srv, RawClient client, Response response, Seen seen, long closedUnreadBefore) {
            this.srv = srv;
            this.client = client;
            this.response = response;
            this.seen = seen;
            this.closedUnreadBefore = closedUnreadBefore;
        }

        ServerStats stats() {
            return srv.server.stats();
        }
    }

    interface Check {
        void verify(Ctx ctx) throws Exception;
    }

    /**
     * One input of the table and what it must get: the status, whether the handler runs, whether
     * the connection stays open or closes, how many parse errors are counted, and optionally a
     * server configuration, an extra check and bounds on time and event-loop CPU. {@link #c} gives
     * the defaults (200, the handler runs, stays open, no parse error); the methods return copies.
     */
    record Case(String id, String label, byte[] raw, int status, boolean handlerRuns, Conn conn, int parseErrors,
                UnaryOperator<ServerConfig.Builder> config, Check check, Duration maxTime, Duration maxCpu) {

        /** A malformed request answered by the engine: the handler never runs, the connection closes, one parse error. */
        Case rejected(int errorStatus) {
            return new Case(id, label, raw, errorStatus, false, Conn.CLOSE, 1, config, check, maxTime, maxCpu);
        }

        /** A head that is fine but whose body breaks the framing or a limit while the handler reads it. */
        Case bodyError(int errorStatus) {
            return new Case(id, label, raw, errorStatus, true, Conn.CLOSE, 1, config, check, maxTime, maxCpu);
        }

        Case answers(int expected) {
            return new Case(id, label, raw, expected, handlerRuns, conn, parseErrors, config, check, maxTime, maxCpu);
        }

        Case closes() {
            return new Case(id, label, raw, status, handlerRuns, Conn.CLOSE, parseErrors, config, check, maxTime, maxCpu);
        }

        Case withConfig(UnaryOperator<ServerConfig.Builder> tweak) {
            return new Case(id, label, raw, status, handlerRuns, conn, parseErrors, tweak, check, maxTime, maxCpu);
        }

        Case andCheck(Check extra) {
            return new Case(id, label, raw, status, handlerRuns, conn, parseErrors, config, extra, maxTime, maxCpu);
        }

        Case within(Duration time, Duration cpu) {
            return new Case(id, label, raw, status, handlerRuns, conn, parseErrors, config, check, time, cpu);
        }

        boolean isHead() {
            return raw.length > 5 && new String(raw, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
        }

        @Override
        public String toString() {
            return id + " " + label;
        }
    }

    private static Case c(String id, String label, String raw) {
        return new Case(id, label, raw.getBytes(StandardCharsets.ISO_8859_1), 200, true, Conn.OPEN, 0, null, null,
                null, null);
    }

    /** Copies what is written to two streams (log capture that still shows the log). */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            synchronized (b) {
                b.write(bytes, off, len);
            }
        }
    }
}
