package dev.saker.bench.app;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark endpoints, written once for Spring MVC and WebFlux alike (both run annotated
 * controllers). The static 1 MiB file is served by Spring's resource handler under
 * {@code /static/**} (see application.properties).
 */
@RestController
public class BenchController {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BYTES_16K = new byte[16 * 1024];

    static {
        Arrays.fill(BYTES_16K, (byte) 'x');
    }

    /** A small JSON document, serialized by Jackson per request. */
    public record Message(String message) {
    }

    @GetMapping(path = "/plaintext", produces = MediaType.TEXT_PLAIN_VALUE)
    public byte[] plaintext() {
        return HELLO;
    }

    @GetMapping(path = "/json", produces = MediaType.APPLICATION_JSON_VALUE)
    public Message json() {
        return new Message("Hello, World!");
    }

    @GetMapping(path = "/bytes16k", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public byte[] bytes16k() {
        return BYTES_16K;
    }

    /** Reads the whole body and answers its length in bytes. */
    @PostMapping(path = "/upload", produces = MediaType.TEXT_PLAIN_VALUE)
    public String upload(@RequestBody(required = false) byte[] body) {
        return Integer.toString(body == null ? 0 : body.length);
    }
}
