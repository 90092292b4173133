package dev.saker.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What a WebFlux application meets beyond controllers, under Spring Boot's default properties:
 * multipart uploads (file parts past Boot's in-memory limit go to disk), form data, static
 * resources with conditional and range requests, Boot's JSON error answer, and an upload that
 * waits for {@code 100 Continue}.
 */
class WebFluxFeaturesTest {

    @TempDir
    static Path staticDir;

    private static ConfigurableApplicationContext context;
    private static int port;
    private static byte[] staticFile;

    @BeforeAll
    static void start() throws IOException {
        staticFile = randomBytes(100_000, 7);
        Files.write(staticDir.resolve("data.bin"), staticFile);
        context = WebFluxApps.start(App.class,
                "spring.web.resources.static-locations=file:" + staticDir.toAbsolutePath() + "/", WebFluxApps.WITHOUT_SECURITY);
        port = WebFluxApps.port(context);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void aMultipartUploadWithAFileLargerThanTheInMemoryLimitIsReceivedWhole() throws Exception {
        // Boot's default spring.webflux.multipart.max-in-memory-size is 256 KiB: this part goes to disk.
        byte[] file = randomBytes(700_000, 1);
        String boundary = "----saker" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nholiday\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        try (RawClient client = new RawClient(port)) {
            client.send("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary="
                    + boundary + "\r\nContent-Length: " + body.size() + "\r\n\r\n");
            client.send(body.toByteArray());
            RawClient.Response r = client.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("holiday photo.bin " + file.length + " " + crc(file));
        }
    }

    @Test
    void formDataIsParsed() throws Exception {
        String form = "a=1&b=two+words&b=%C3%A9";
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("POST /form HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form)
                    .read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{a=[1], b=[two words, é]}");
        }
    }

    @Test
    void aStaticResourceAnswersGetHeadConditionalAndRangeRequests() throws Exception {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response full = client.send("GET /data.bin HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            assertThat(full.status()).isEqualTo(200);
            assertThat(full.body()).isEqualTo(staticFile);
            assertThat(full.header("content-length")).isEqualTo(Integer.toString(staticFile.length));
            String lastModified = full.header("last-modified");
            assertThat(lastModified).isNotNull();

            RawClient.Response head = client.send("HEAD /data.bin HTTP/1.1\r\nHost: localhost\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(Integer.toString(staticFile.length));

            RawClient.Response notModified = client.send("GET /data.bin HTTP/1.1\r\nHost: localhost\r\n"
                    + "If-Modified-Since: " + lastModified + "\r\n\r\n").read();
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();

            RawClient.Response range = client.send("GET /data.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=10-19\r\n\r\n")
                    .read();
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.header("content-range")).isEqualTo("bytes 10-19/" + staticFile.length);
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(staticFile, 10, 20));

            // The connection is still usable after all of them.
            String future = ZonedDateTime.now(ZoneOffset.UTC).plusDays(1).format(DateTimeFormatter.RFC_1123_DATE_TIME);
            assertThat(client.send("GET /data.bin HTTP/1.1\r\nHost: localhost\r\nIf-Modified-Since: " + future + "\r\n\r\n")
                    .read().status()).isEqualTo(304);
        }
    }

    @Test
    void aFailingHandlerGetsBootsJsonErrorAnswer() throws Exception {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("GET /boom HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("content-type")).startsWith("application/json");
            assertThat(r.bodyText()).contains("\"status\":500").contains("\"path\":\"/boom\"");
            // The error was answered in full: the connection serves the next request.
            assertThat(client.send("GET /data.bin HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-0\r\n\r\n").read().status())
                    .isEqualTo(206);
        }
    }

    @Test
    void anUploadThatExpectsContinueGetsItThenItsAnswer() throws Exception {
        try (RawClient client = new RawClient(port)) {
            String form = "a=waited";
            client.send("POST /form HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n");
            RawClient.Response interim = client.read();
            assertThat(interim.status()).isEqualTo(100);
            RawClient.Response r = client.send(form).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("{a=[waited]}");
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @RestController
        static class Controller {

            @PostMapping("/upload")
            Mono<String> upload(@RequestPart("title") String title, @RequestPart("file") Mono<FilePart> file) {
                return file.flatMap(part -> {
                    Path target;
                    try {
                        target = Files.createTempFile("saker-upload", ".bin");
                    } catch (IOException e) {
                        return Mono.error(e);
                    }
                    return part.transferTo(target).then(Mono.fromCallable(() -> {
                        byte[] received = Files.readAllBytes(target);
                        Files.delete(target);
                        return title + " " + part.filename() + " " + received.length + " " + crc(received);
                    }).subscribeOn(Schedulers.boundedElastic()));
                });
            }

            @PostMapping("/form")
            Mono<String> form(ServerWebExchange exchange) {
                return exchange.getFormData().map(Object::toString);
            }

            @GetMapping("/boom")
            Mono<String> boom() {
                throw new IllegalStateException("boom");
            }
        }
    }
}
