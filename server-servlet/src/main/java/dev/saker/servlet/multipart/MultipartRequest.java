package dev.saker.servlet.multipart;

import dev.saker.server.http.BadRequestException;
import dev.saker.servlet.request.FormLimits;
import dev.saker.servlet.request.RequestParameters;
import dev.saker.servlet.request.RequestParts;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a {@code multipart/form-data} body (RFC 7578) as it streams: a part is kept in memory up to
 * the configured threshold and spills to a temporary file past it, so big uploads never sit in the
 * heap. Parts without a file name also become request parameters, whatever the threshold. Limits
 * (sizes, part count, part header size, parameter count) throw {@link MultipartLimitException}
 * (answered 413) as soon as they are passed, before the rest of the body is read; a malformed body
 * throws {@link BadRequestException} 400.
 */
public final class MultipartRequest implements RequestParts {

    static final String TEMP_PREFIX = "saker-part-";
    /** Bounds a part's header block when the part header size is unlimited. */
    private static final int MAX_PART_HEAD = 16 * 1024;

    private final List<SakerPart> parts = new ArrayList<>();

    private MultipartRequest() {
    }

    /**
     * @param contentType the request's Content-Type (with the boundary)
     * @param limits the container's part count, part header size, parameter count and text size limits
     * @param charset the request's character encoding, for text fields that name none
     * @param parameters form fields without a file name are added here as parameters
     */
    public static MultipartRequest parse(String contentType, InputStream body, MultipartConfigElement config,
                                         FormLimits limits, Charset charset, RequestParameters parameters)
            throws IOException, ServletException {
        String boundary = boundary(contentType);
        if (boundary == null) {
            throw new ServletException("multipart/form-data request without a boundary");
        }
        Path location = config.getLocation() == null || config.getLocation().isEmpty()
                ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(config.getLocation());
        MultipartRequest request = new MultipartRequest();
        try {
            Parser parser = new Parser(body, boundary, config, limits, location, request, parameters);
            parser.run();
            parser.fields.addTo(parameters, charset);
        } catch (IOException | RuntimeException e) {
            request.deleteFiles();
            throw e;
        }
        return request;
    }

    @Override
    public Collection<Part> parts() {
        return Collections.unmodifiableList(new ArrayList<Part>(parts));
    }

    @Override
    public Part part(String name) {
        for (SakerPart part : parts) {
            if (part.getName().equals(name)) {
                return part;
            }
        }
        return null;
    }

    @Override
    public void deleteFiles() {
        parts.forEach(SakerPart::deleteTemporary);
    }

    static String boundary(String contentType) {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.length() > 70 ? null : b;
            }
        }
        return null;
    }

    /** The streaming state machine: delimiter search over a sliding buffer. */
    private static final class Parser {
        private final InputStream in;
        private final byte[] delimiter;
        private final MultipartConfigElement config;
        private final FormLimits limits;
        private final int maxHead;
        private final Path location;
        private final MultipartRequest request;
        private final RequestParameters parameters;
        final TextFields fields;
        private final byte[] buf = new byte[64 * 1024];
        private int start;
        private int end;
        private boolean eof;
        private long total;
        private int headBytes;

        Parser(InputStream in, String boundary, MultipartConfigElement config, FormLimits limits, Path location,
               MultipartRequest request, RequestParameters parameters) {
            this.in = in;
            this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            this.config = config;
            this.limits = limits;
            this.maxHead = limits.maxPartHeaderSize() >= 0 ? limits.maxPartHeaderSize() : MAX_PART_HEAD;
            this.location = location;
            this.request = request;
            this.parameters = parameters;
            this.fields = new TextFields(limits.maxFormSize());
        }

        void run() throws IOException {
            // The body starts with "--boundary" (no CRLF before the first delimiter); skip any preamble.
            buf[0] = '\r';
            buf[1] = '\n';
            start = 0;
            end = 2;
            skipTo(delimiter);
            while (true) {
                if (!fill(2)) {
                    throw malformed("multipart body ends inside a delimiter");
                }
                if (buf[start] == '-' && buf[start + 1] == '-') {
                    return;
                }
                if (limits.maxPartCount() >= 0 && request.parts.size() >= limits.maxPartCount()) {
                    throw new MultipartLimitException("multipart request too large: more than " + limits.maxPartCount()
                            + " parts (saker.server.max-part-count)");
                }
                skipLine();
                Map<String, List<String>> headers = readHeaders();
                readPart(headers);
            }
        }

        private void readPart(Map<String, List<String>> headers) throws IOException {
            String disposition = first(headers, "content-disposition");
            String name = disposition == null ? null : param(disposition, "name");
            String fileName = disposition == null ? null : param(disposition, "filename");
            if (name == null) {
                throw malformed("multipart part without a form-data name");
            }
            if (fileName == null) {
                // Counted before its value is read: past the limit nothing more is buffered.
                parameters.countOne();
            }
            SakerPart part = new SakerPart(headers, name, fileName, location);
            request.parts.add(part);
            long threshold = Math.max(config.getFileSizeThreshold(), 0);
            ByteArrayOutputStream text = fileName == null ? fields.start() : null;
            ByteArrayOutputStream memory = new ByteArrayOutputStream();
            OutputStream out = memory;
            Path file = null;
            long size = 0;
            try {
                while (true) {
                    int found = indexOf(delimiter);
                    int stop = found >= 0 ? found : Math.max(start, end - delimiter.length + 1);
                    int n = stop - start;
                    if (n > 0) {
                        size += n;
                        total += n;
                        checkLimits(size, n);
                        if (file == null && size > threshold) {
                            file = Files.createTempFile(location, TEMP_PREFIX, ".tmp");
                            // Owned by the part from now on, so deleteFiles() removes it if the body then fails.
                            part.setFile(file, 0);
                            out = Files.newOutputStream(file);
                            memory.writeTo(out);
                            memory = null;
                        }
                        out.write(buf, start, n);
                        if (text != null) {
                            fields.append(text, buf, start, n);
                        }
                        start = stop;
                    }
                    if (found >= 0) {
                        start = found + delimiter.length;
                        break;
                    }
                    if (!fill(delimiter.length)) {
                        throw malformed("multipart body ends before its closing delimiter");
                    }
                }
            } finally {
                if (file != null) {
                    out.close();
                }
            }
            if (file != null) {
                part.setFile(file, size);
            } else {
                part.setContent(memory.toByteArray());
            }
            if (text != null) {
                fields.add(name, text, param(String.valueOf(first(headers, "content-type")), "charset"));
            }
        }

        /**
         * Checks the sizes after {@code added} more bytes. When both limits are passed within them, the
         * one passed first in the body wins, so the outcome does not depend on how reads split the body.
         */
        private void checkLimits(long partSize, long added) {
            long maxPart = config.getMaxFileSize();
            long maxRequest = config.getMaxRequestSize();
            long partAt = maxPart > 0 && partSize > maxPart ? maxPart - (partSize - added) : Long.MAX_VALUE;
            long requestAt = maxRequest > 0 && total > maxRequest ? maxRequest - (total - added) : Long.MAX_VALUE;
            if (partAt != Long.MAX_VALUE && partAt <= requestAt) {
                throw new MultipartLimitException("part exceeds its maximum size of " + maxPart + " bytes");
            }
            if (requestAt != Long.MAX_VALUE) {
                throw new MultipartLimitException("request exceeds its maximum size of " + maxRequest + " bytes");
            }
        }

        /** Reads a part's header block; its bytes count toward the part header size and the request size. */
        private Map<String, List<String>> readHeaders() throws IOException {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headBytes = 0;
            while (true) {
                String line = readLine();
                if (line.isEmpty()) {
                    total += headBytes;
                    checkLimits(0, headBytes);
                    return headers;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw malformed("malformed multipart part header");
                }
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }

        private String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                if (!fill(2)) {
                    throw malformed("multipart body ends inside part headers");
                }
                boolean crlf = buf[start] == '\r' && buf[start + 1] == '\n';
                headBytes += crlf ? 2 : 1;
                if (headBytes > maxHead) {
                    throw new MultipartLimitException("multipart request too large: part header size exceeds "
                            + maxHead + " bytes (saker.server.max-part-header-size)");
                }
                if (crlf) {
                    start += 2;
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(buf[start++]);
            }
        }

        private void skipLine() throws IOException {
            // After a delimiter: optional whitespace (transport padding), then CRLF.
            while (true) {
                if (!fill(2)) {
                    throw malformed("multipart body ends after a delimiter");
                }
                if (buf[start] == '\r' && buf[start + 1] == '\n') {
                    start += 2;
                    return;
                }
                if (buf[start] != ' ' && buf[start] != '\t') {
                    throw malformed("unexpected bytes after a multipart delimiter");
                }
                start++;
            }
        }

        private void skipTo(byte[] pattern) throws IOException {
            while (true) {
                int found = indexOf(pattern);
                if (found >= 0) {
                    start = found + pattern.length;
                    return;
                }
                start = Math.max(start, end - pattern.length + 1);
                if (!fill(pattern.length)) {
                    throw malformed("multipart body has no delimiter");
                }
            }
        }

        private int indexOf(byte[] pattern) {
            outer:
            for (int i = start; i <= end - pattern.length; i++) {
                for (int j = 0; j < pattern.length; j++) {
                    if (buf[i + j] != pattern[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        /** Makes at least {@code need} bytes readable at {@code start} unless the stream ends. */
        private boolean fill(int need) throws IOException {
            while (end - start < need) {
                if (eof) {
                    return false;
                }
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                }
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    eof = true;
                } else {
                    end += n;
                }
            }
            return true;
        }

        private static BadRequestException malformed(String message) {
            return new BadRequestException(400, "multipart", message);
        }

        private static String first(Map<String, List<String>> headers, String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        static String param(String header, String name) {
            for (String p : header.split(";")) {
                String t = p.trim();
                int eq = t.indexOf('=');
                if (eq > 0 && t.substring(0, eq).trim().equalsIgnoreCase(name)) {
                    String v = t.substring(eq + 1).trim();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
                    }
                    return v;
                }
            }
            return null;
        }
    }
}
