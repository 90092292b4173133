package dev.saker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The response bodies every load peer serves, the same bytes as the Spring applications:
 * {@code /plaintext}, {@code /json} (serialized per request by Jackson), {@code /bytes16k} and
 * {@code /static/file-1m.bin}.
 */
final class Payloads {

    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BYTES_16K = filled(16 * 1024);
    static final String STATIC_PREFIX = "/static/";
    static final String STATIC_NAME = "file-1m.bin";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The JSON document, as the Spring applications' record serializes it. */
    record Message(String message) {
    }

    private Payloads() {
    }

    /** @return {@code {"message":"Hello, World!"}}, serialized now */
    static byte[] json() {
        return JSON.writeValueAsBytes(new Message("Hello, World!"));
    }

    /** @return the static file's bytes, read once at start-up (directory from {@code bench.static-dir}) */
    static byte[] staticFile() {
        Path file = Path.of(System.getProperty("bench.static-dir", "/tmp/saker-bench-static"), STATIC_NAME);
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }
}
