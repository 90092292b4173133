package dev.saker.servlet.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.saker.server.testing.FuzzInput;
import dev.saker.servlet.request.FormLimits;
import dev.saker.servlet.request.RequestParameters;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes {@link MultipartRequest#parse}: a body parses or is refused with an {@link IOException},
 * {@link MultipartLimitException} or {@link ServletException} (anything else escapes), gives the
 * same parts or the same error whether the stream hands it over whole or in small reads, keeps to
 * the configured limits, and leaves no temporary file behind after {@code deleteFiles()} or a
 * failure. Input: three control bytes, then the Content-Type value, CRLF, and the body.
 * <ul>
 *   <li>byte 0: bits 0-1 pick the spill threshold (0, 8, 64, 1024 bytes); bits 2-3 the part limit
 *       (none, 16, 128, 1024); bits 4-5 the request limit (none, 64, 512, 4096)</li>
 *   <li>byte 1: where the first small read ends; byte 2: the size of the following reads (1-64)</li>
 * </ul>
 * Seeds: {@code MultipartFuzzTestInputs/fuzzMultipart}.
 */
class MultipartFuzzTest {

    private static Path location;

    @FuzzTest(maxDuration = "5s")
    void fuzzMultipart(byte[] data) throws IOException {
        FuzzInput in = FuzzInput.of(data, 3);
        long maxFileSize = in.pick(0, 2, -1, 16, 128, 1024);
        long maxRequestSize = in.pick(0, 4, -1, 64, 512, 4096);
        MultipartConfigElement config = new MultipartConfigElement(location().toString(), maxFileSize, maxRequestSize,
                in.pick(0, 0, 0, 8, 64, 1024));
        byte[] payload = in.payload();
        int crlf = indexOfCrlf(payload);
        String contentType = new String(payload, 0, crlf < 0 ? payload.length : crlf, StandardCharsets.ISO_8859_1);
        byte[] body = crlf < 0 ? new byte[0] : Arrays.copyOfRange(payload, crlf + 2, payload.length);

        String whole = parse(contentType, new ByteArrayInputStream(body), config);
        assertThat(parse(contentType, new TrickleStream(body, in.cuts(body.length, 1, 2)), config))
                .as("read in pieces").isEqualTo(whole);
        if (whole.startsWith("LIMIT") && !whole.contains("part header size")) {
            assertThat(maxFileSize > 0 || maxRequestSize > 0).as("a limit was set").isTrue();
        }
    }

    /** Parses, describes the parts (or the error), deletes the files, and checks that none is left. */
    private static String parse(String contentType, InputStream body, MultipartConfigElement config)
            throws IOException {
        String outcome;
        try {
            RequestParameters fields = new RequestParameters();
            MultipartRequest request = MultipartRequest.parse(contentType, body, config, FormLimits.none(), StandardCharsets.UTF_8, fields);
            try {
                fields.parse(null, null, StandardCharsets.UTF_8, -1);
                outcome = describe(request, config) + "\nfields=" + fields.map().entrySet().stream()
                        .map(e -> e.getKey() + "=" + Arrays.toString(e.getValue())).toList();
            } finally {
                request.deleteFiles();
            }
        } catch (MultipartLimitException e) {
            outcome = "LIMIT " + e.getMessage();
        } catch (IOException | ServletException e) {
            outcome = "ERROR " + e.getClass().getSimpleName() + " " + e.getMessage();
        }
        List<Path> left = deleteAll();
        assertThat(left).as("temporary files left after " + outcome).isEmpty();
        return outcome;
    }

    private static String describe(MultipartRequest request, MultipartConfigElement config) throws IOException {
        StringBuilder out = new StringBuilder("PARTS");
        long total = 0;
        for (Part part : request.parts()) {
            byte[] content;
            try (InputStream stream = part.getInputStream()) {
                content = stream.readAllBytes();
            }
            assertThat(part.getSize()).as("size of part %s", part.getName()).isEqualTo(content.length);
            if (config.getMaxFileSize() > 0) {
                assertThat(part.getSize()).as("part limit").isLessThanOrEqualTo(config.getMaxFileSize());
            }
            total += content.length;
            out.append("\n").append(part.getName()).append(" file=").append(part.getSubmittedFileName())
                    .append(" headers=").append(part.getHeaderNames()).append(" type=").append(part.getContentType())
                    .append(" content=").append(new String(content, StandardCharsets.ISO_8859_1));
        }
        if (config.getMaxRequestSize() > 0) {
            assertThat(total).as("request limit").isLessThanOrEqualTo(config.getMaxRequestSize());
        }
        return out.toString();
    }

    private static synchronized Path location() {
        if (location == null) {
            try {
                location = Files.createTempDirectory("saker-multipart-fuzz");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return location;
    }

    /** Deletes what is in the temporary directory (so that one finding does not fail every later input). */
    private static List<Path> deleteAll() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(location())) {
            files = list.toList();
        }
        for (Path file : files) {
            Files.delete(file);
        }
        return files;
    }

    @AfterAll
    static synchronized void deleteLocation() throws IOException {
        if (location != null) {
            deleteAll();
            Files.delete(location);
            location = null;
        }
    }

    private static int indexOfCrlf(byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A stream that hands out its bytes in the reads that end at {@code cuts}, then the rest. */
    private static final class TrickleStream extends InputStream {
        private final byte[] bytes;
        private final int[] cuts;
        private int position;
        private int piece;

        TrickleStream(byte[] bytes, int[] cuts) {
            this.bytes = bytes;
            this.cuts = cuts;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == bytes.length) {
                return -1;
            }
            while (piece < cuts.length && cuts[piece] <= position) {
                piece++;
            }
            int end = piece < cuts.length ? cuts[piece] : bytes.length;
            int n = Math.min(len, end - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }
}
