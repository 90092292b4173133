package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Multipart text fields are request parameters whatever the file-size threshold (Boot's default is
 * 0: every part spills to disk), and the part count, part header size and parameter count limits
 * refuse a body with 413 as soon as they are passed, leaving no temporary file.
 */
class MultipartParametersTest {

    private static final String BOUNDARY = "b0undary42";

    private Path location;

    @BeforeEach
    void createLocation() throws IOException {
        location = Files.createTempDirectory("saker-multipart-params");
    }

    @AfterEach
    void deleteLocation() throws IOException {
        assertThat(filesLeft()).as("temporary part files left").isZero();
        Files.delete(location);
    }

    private long filesLeft() throws IOException {
        try (Stream<Path> files = Files.list(location)) {
            return files.count();
        }
    }

    /** Echoes the parameters (in order) and the parts, under a multipart config with threshold 0 (Boot's default). */
    private ServletServer start(ServletContainerConfig config, AtomicLong allocated) {
        return ServletServer.start("", config, ctx -> {
            ServletRegistration.Dynamic r = ctx.addServlet("form", new HttpServlet() {
                @Override
                protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    long before = allocatedByThisThread();
                    String title;
                    try {
                        title = req.getParameter("title");
                    } finally {
                        allocated.set(allocatedByThisThread() - before);
                    }
                    StringBuilder out = new StringBuilder("title=" + title + "\n");
                    req.getParameterMap().forEach((name, values) -> out.append(name).append('=')
                            .append(String.join(",", values)).append('\n'));
                    try {
                        for (Part part : req.getParts()) {
                            out.append("part ").append(part.getName()).append(' ').append(part.getSubmittedFileName())
                                    .append(' ').append(part.getSize()).append('\n');
                        }
                    } catch (jakarta.servlet.ServletException e) {
                        throw new IOException(e);
                    }
                    resp.setContentType("text/plain;charset=UTF-8");
                    resp.getWriter().write(out.toString());
                }
            });
            r.setMultipartConfig(new MultipartConfigElement(location.toString(), -1, -1, 0));
            r.addMapping("/form");
        }, c -> { });
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static byte[] request(String target, byte[] body) {
        byte[] head = ("POST " + target + " HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY
                + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static void part(ByteArrayOutputStream out, String headers, byte[] content) {
        out.writeBytes(("--" + BOUNDARY + "\r\n" + headers + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void field(ByteArrayOutputStream out, String name, String value) {
        part(out, "Content-Disposition: form-data; name=\"" + name + "\"", value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] end(ByteArrayOutputStream out) {
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    @Test
    void textFieldsAreParametersInOrderEvenWhenSpilledToDisk() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, "title", "Grüße");
        field(body, "tag", "a");
        part(body, "Content-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\nContent-Type: application/octet-stream",
                new byte[3000]);
        field(body, "tag", "b");
        part(body, "Content-Disposition: form-data; name=\"latin\"\r\nContent-Type: text/plain; charset=ISO-8859-1",
                "é".getBytes(StandardCharsets.ISO_8859_1));
        field(body, "_charset_", "UTF-8");
        AtomicLong allocated = new AtomicLong();
        try (ServletServer server = start(ServletContainerConfig.defaults(), allocated);
             RawClient client = new RawClient(server.port())) {
            client.send(request("/form?q=1&tag=query", end(body)));
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("""
                    title=Grüße
                    q=1
                    tag=query,a,b
                    title=Grüße
                    latin=é
                    _charset_=UTF-8
                    part title null 7
                    part tag null 1
                    part file f.bin 3000
                    part tag null 1
                    part latin null 1
                    part _charset_ null 5
                    """);
        }
    }

    @Test
    void withoutCharsetFieldTextIsDecodedInTheRequestEncoding() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, "Content-Disposition: form-data; name=\"title\"", "é".getBytes(StandardCharsets.ISO_8859_1));
        try (ServletServer server = start(ServletContainerConfig.defaults(), new AtomicLong());
             RawClient client = new RawClient(server.port())) {
            client.send(request("/form", end(body)));
            // No charset anywhere: the Servlet default, ISO-8859-1.
            assertThat(client.read().bodyText()).startsWith("title=é\n");
        }
    }

    @Test
    void morePartsThanTheLimitAre413() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            part(body, "Content-Disposition: form-data; name=\"f" + i + "\"; filename=\"x\"", new byte[10]);
        }
        try (ServletServer server = start(ServletContainerConfig.defaults().withMaxPartCount(3), new AtomicLong());
             RawClient client = new RawClient(server.port())) {
            client.send(request("/form", end(body)));
            assertThat(client.read().status()).isEqualTo(413);
        }
        ByteArrayOutputStream three = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            part(three, "Content-Disposition: form-data; name=\"f" + i + "\"; filename=\"x\"", new byte[10]);
        }
        try (ServletServer server = start(ServletContainerConfig.defaults().withMaxPartCount(3), new AtomicLong());
             RawClient client = new RawClient(server.port())) {
            client.send(request("/form", end(three)));
            assertThat(client.read().status()).isEqualTo(200);
        }
    }

    @Test
    void theDefaultPartCountIsTomcats50() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 51; i++) {
            field(body, "f" + i, "v");
        }
        try (ServletServer server = start(ServletContainerConfig.defaults(), new AtomicLong());
             RawClient client = new RawClient(server.port())) {
            client.send(request("/form", end(body)));
            assertThat(client.read().status()).isEqualTo(413);
        }
    }

    @Test
    void partHeadersLargerThanTheLimitAre413() throws Exception {
        String longName = "n".repeat(600);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, longName, "v");
        try (ServletServer server = start(ServletContainerConfig.defaults(), new AtomicLong());
             RawClient client = new RawClient(server.port())) {
            client.send(request("/form", end(body)));
            assertThat(client.read().status()).as("default 512 bytes").isEqualTo(413);
        }
        try (ServletServer server = start(ServletContainerConfig.defaults().withMaxPartHeaderSize(1024), new AtomicLong());
             RawClient client = new RawClient(server.port())) {
            client.send(request("/form", end(body)));
            assertThat(client.read().status()).isEqualTo(200);
        }
    }

    @Test
    void moreParametersThanTheLimitAre413ForMultipartAndUrlencodedForms() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            field(body, "f" + i, "v");
        }
        ServletContainerConfig three = ServletContainerConfig.defaults().withMaxParameterCount(3);
        try (ServletServer server = start(three, new AtomicLong()); RawClient client = new RawClient(server.port())) {
            client.send(request("/form", end(body)));
            assertThat(client.read().status()).as("3 fields").isEqualTo(200);
            client.send(request("/form?q=1", body.toByteArray()));
            assertThat(client.read().status()).as("3 fields and a query parameter").isEqualTo(413);
        }
        try (ServletServer server = start(three, new AtomicLong()); RawClient client = new RawClient(server.port())) {
            String form = "a=1&b=2&c=3&d=4";
            client.send("POST /form HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + form.length() + "\r\n\r\n" + form);
            assertThat(client.read().status()).isEqualTo(413);
        }
        String many = IntStream.range(0, 1001).mapToObj(i -> "p" + i + "=v").collect(Collectors.joining("&"));
        try (ServletServer server = start(ServletContainerConfig.defaults(), new AtomicLong());
             RawClient client = new RawClient(server.port())) {
            client.send("POST /form HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + many.length() + "\r\n\r\n" + many);
            assertThat(client.read().status()).as("default 1000").isEqualTo(413);
        }
    }

    @Test
    void aMalformedBodyIs400() throws Exception {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing delimiter")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (ServletServer server = start(ServletContainerConfig.defaults(), new AtomicLong());
             RawClient client = new RawClient(server.port())) {
            client.send(request("/form", body));
            assertThat(client.read().status()).isEqualTo(400);
        }
    }

    @Test
    void twoHundredThousandTinyPartsStopAtTheLimitInBoundedHeap() throws Exception {
        ByteArrayOutputStream bodyOut = new ByteArrayOutputStream();
        for (int i = 0; i < 200_000; i++) {
            field(bodyOut, "title", "x");
        }
        byte[] body = end(bodyOut);
        for (ServletContainerConfig config : new ServletContainerConfig[] {ServletContainerConfig.defaults(),
            // No part limit: the parameter count stops it.
            ServletContainerConfig.defaults().withMaxPartCount(-1).withMaxParameterCount(100)}) {
            AtomicLong allocated = new AtomicLong(-1);
            try (ServletServer server = start(config, allocated); RawClient client = new RawClient(server.port())) {
                Thread sender = new Thread(() -> {
                    try {
                        OutputStream out = client.socket().getOutputStream();
                        out.write(request("/form", body));
                        out.flush();
                    } catch (IOException e) {
                        // The server refused the body and closed before it all arrived.
                    }
                });
                sender.start();
                assertThat(client.read().status()).isEqualTo(413);
                sender.join(20_000);
                assertThat(sender.isAlive()).isFalse();
            }
            assertThat(allocated.get()).as("bytes allocated parsing a %d-byte body", body.length)
                    .isBetween(0L, body.length / 2L);
            assertThat(filesLeft()).isZero();
        }
    }
}
