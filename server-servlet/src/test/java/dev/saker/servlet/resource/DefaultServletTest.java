package dev.saker.servlet.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import dev.saker.servlet.ServletServer;
import dev.saker.servlet.request.HttpDates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default servlet over real sockets: resources, validators, ranges, directories and what it refuses. */
class DefaultServletTest {

    @TempDir
    Path root;

    private ServletServer server;
    private final byte[] big = new byte[300_000];

    @BeforeEach
    void start() throws IOException {
        Files.writeString(root.resolve("test.txt"), "test");
        Files.writeString(root.resolve("style.xxcss"), "body{}");
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        Files.write(root.resolve("big.bin"), big);
        Files.createDirectories(root.resolve("dir"));
        Files.writeString(root.resolve("dir/index.html"), "<h1>welcome</h1>");
        Files.createDirectories(root.resolve("empty"));
        Files.createDirectories(root.resolve("WEB-INF"));
        Files.writeString(root.resolve("WEB-INF/web.xml"), "secret");
        Files.setLastModifiedTime(root.resolve("test.txt"), FileTime.fromMillis(1_700_000_000_000L));
        server = ServletServer.start("/app", ctx -> {
            ctx.setDocumentRoot(root);
            ctx.mimeTypes().put("xxcss", "text/css");
            ctx.addServlet(DefaultServlet.NAME, new DefaultServlet(ctx.resources())).addMapping("/");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawClient.Response request(String method, String path, String extra) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "Connection: close\r\n\r\n");
            return client.read(method.equals("HEAD"));
        }
    }

    private RawClient.Response get(String path, String extra) throws IOException {
        return request("GET", path, extra);
    }

    @Test
    void servesFilesWithTypeLengthAndValidators() throws IOException {
        RawClient.Response r = get("/app/test.txt", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("test");
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.header("Content-Length")).isEqualTo("4");
        assertThat(r.header("ETag")).startsWith("\"").endsWith("\"");
        assertThat(r.header("Last-Modified")).isEqualTo(HttpDates.format(1_700_000_000_000L));
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(get("/app/style.xxcss", "").header("Content-Type")).as("the context's MIME mappings")
                .startsWith("text/css");
    }

    @Test
    void streamsLargeFilesWhole() throws IOException {
        RawClient.Response r = get("/app/big.bin", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(big.length));
        assertThat(r.body()).isEqualTo(big);
    }

    @Test
    void classPathResourcesUnderMetaInfResources() throws IOException {
        RawClient.Response r = get("/app/cp.txt", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("from the class path");
        assertThat(get("/app/cpdir/", "").bodyText()).isEqualTo("<p>cp welcome</p>");
        assertThat(get("/app/dev/saker/servlet/resource/DefaultServletTest.class", "").status())
                .as("the class path itself is never served").isEqualTo(404);
    }

    @Test
    void headSendsHeadersWithoutBody() throws IOException {
        RawClient.Response r = request("HEAD", "/app/big.bin", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(big.length));
        assertThat(r.header("ETag")).isNotNull();
        assertThat(r.body()).isEmpty();
    }

    @Test
    void conditionalRequests() throws IOException {
        RawClient.Response first = get("/app/test.txt", "");
        String etag = first.header("ETag");
        String lastModified = first.header("Last-Modified");
        RawClient.Response notModified = get("/app/test.txt", "If-None-Match: " + etag + "\r\n");
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo(etag);
        assertThat(get("/app/test.txt", "If-None-Match: W/" + etag + "\r\n").status()).as("weak comparison")
                .isEqualTo(304);
        assertThat(get("/app/test.txt", "If-None-Match: \"other\"\r\n").status()).isEqualTo(200);
        assertThat(get("/app/test.txt", "If-Modified-Since: " + lastModified + "\r\n").status()).isEqualTo(304);
        assertThat(get("/app/test.txt", "If-Modified-Since: " + HttpDates.format(1_600_000_000_000L) + "\r\n").status())
                .isEqualTo(200);
        assertThat(get("/app/test.txt", "If-None-Match: \"other\"\r\nIf-Modified-Since: " + lastModified + "\r\n").status())
                .as("If-None-Match takes precedence").isEqualTo(200);
        assertThat(get("/app/test.txt", "If-Match: " + etag + "\r\n").status()).isEqualTo(200);
        assertThat(get("/app/test.txt", "If-Match: \"other\"\r\n").status()).isEqualTo(412);
        assertThat(get("/app/test.txt", "If-Match: W/" + etag + "\r\n").status()).as("strong comparison").isEqualTo(412);
        assertThat(get("/app/test.txt", "If-Match: *\r\n").status()).isEqualTo(200);
        assertThat(get("/app/test.txt", "If-Unmodified-Since: " + HttpDates.format(1_600_000_000_000L) + "\r\n").status())
                .isEqualTo(412);
        assertThat(get("/app/test.txt", "If-Unmodified-Since: " + lastModified + "\r\n").status()).isEqualTo(200);
    }

    @Test
    void singleRanges() throws IOException {
        RawClient.Response r = get("/app/big.bin", "Range: bytes=100-199\r\n");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 100-199/" + big.length);
        assertThat(r.header("Content-Length")).isEqualTo("100");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(big, 100, 200));
        RawClient.Response suffix = get("/app/big.bin", "Range: bytes=-10\r\n");
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(big, big.length - 10, big.length));
        RawClient.Response open = get("/app/big.bin", "Range: bytes=299990-\r\n");
        assertThat(open.header("Content-Range")).isEqualTo("bytes 299990-299999/" + big.length);
        assertThat(open.body()).hasSize(10);
        RawClient.Response clipped = get("/app/test.txt", "Range: bytes=2-1000\r\n");
        assertThat(clipped.status()).isEqualTo(206);
        assertThat(clipped.bodyText()).isEqualTo("st");
    }

    @Test
    void unsatisfiableInvalidAndMultipleRanges() throws IOException {
        RawClient.Response unsatisfiable = get("/app/test.txt", "Range: bytes=10-20\r\n");
        assertThat(unsatisfiable.status()).isEqualTo(416);
        assertThat(unsatisfiable.header("Content-Range")).isEqualTo("bytes */4");
        RawClient.Response invalid = get("/app/test.txt", "Range: bytes=x-y\r\n");
        assertThat(invalid.status()).as("an invalid Range is ignored").isEqualTo(200);
        assertThat(invalid.bodyText()).isEqualTo("test");
        RawClient.Response several = get("/app/test.txt", "Range: bytes=0-0,2-3\r\n");
        assertThat(several.status()).as("several ranges: the whole resource").isEqualTo(200);
        assertThat(several.bodyText()).isEqualTo("test");
    }

    @Test
    void ifRangeDecidesBetweenPartAndWhole() throws IOException {
        String etag = get("/app/test.txt", "").header("ETag");
        RawClient.Response matching = get("/app/test.txt", "Range: bytes=0-1\r\nIf-Range: " + etag + "\r\n");
        assertThat(matching.status()).isEqualTo(206);
        assertThat(matching.bodyText()).isEqualTo("te");
        RawClient.Response stale = get("/app/test.txt", "Range: bytes=0-1\r\nIf-Range: \"old\"\r\n");
        assertThat(stale.status()).isEqualTo(200);
        assertThat(stale.bodyText()).isEqualTo("test");
    }

    @Test
    void directoriesWelcomeFilesAndNoListing() throws IOException {
        RawClient.Response redirect = get("/app/dir?x=1", "");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).endsWith("/app/dir/?x=1");
        RawClient.Response welcome = get("/app/dir/", "");
        assertThat(welcome.status()).isEqualTo(200);
        assertThat(welcome.bodyText()).isEqualTo("<h1>welcome</h1>");
        assertThat(welcome.header("Content-Type")).startsWith("text/html");
        assertThat(get("/app/empty/", "").status()).as("no listing").isEqualTo(404);
        assertThat(get("/app/", "").status()).as("no listing of the root").isEqualTo(404);
        assertThat(get("/app/test.txt/", "").status()).isEqualTo(404);
        assertThat(get("/app/missing.txt", "").status()).isEqualTo(404);
    }

    @Test
    void privateDirectoriesAndTraversalAreNotServed() throws IOException {
        assertThat(get("/app/WEB-INF/web.xml", "").status()).isEqualTo(404);
        assertThat(get("/app/web-inf/web.xml", "").status()).isEqualTo(404);
        assertThat(get("/app/META-INF/resources/cp.txt", "").status()).isEqualTo(404);
        RawClient.Response traversal = get("/app/dir/../../../etc/passwd", "");
        assertThat(traversal.status()).isIn(400, 404);
        RawClient.Response encoded = get("/app/dir/%2e%2e/%2e%2e/etc/passwd", "");
        assertThat(encoded.status()).isIn(400, 404);
        assertThat(encoded.bodyText()).doesNotContain("root:");
    }

    @Test
    void symbolicLinksOutOfTheRootAreNotFollowed(@TempDir Path outside) throws IOException {
        Files.writeString(outside.resolve("secret.txt"), "secret");
        try {
            Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("secret.txt"));
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here");
        }
        assertThat(get("/app/link.txt", "").status()).isEqualTo(404);
    }

    @Test
    void onlyGetHeadAndOptions() throws IOException {
        RawClient.Response options = request("OPTIONS", "/app/test.txt", "");
        assertThat(options.status()).isEqualTo(200);
        assertThat(options.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            RawClient.Response refused = request(method, "/app/test.txt", "Content-Length: 0\r\n");
            assertThat(refused.status()).as(method).isEqualTo(405);
            assertThat(refused.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        }
        assertThat(new String(Files.readAllBytes(root.resolve("test.txt")), StandardCharsets.UTF_8)).isEqualTo("test");
    }
}
