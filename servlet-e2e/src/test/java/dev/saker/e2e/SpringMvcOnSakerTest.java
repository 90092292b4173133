package dev.saker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.SakerServletContainer;
import dev.saker.servlet.context.SakerServletContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.context.ContextLoaderListener;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.filter.CharacterEncodingFilter;
import org.springframework.web.filter.DelegatingFilterProxy;
import org.springframework.web.servlet.DispatcherServlet;

/** The sample Spring MVC + Security application on Saker, driven by the JDK's HTTP client over loopback. */
class SpringMvcOnSakerTest {

    private static SakerServletContainer container;
    private static SakerServer server;
    private static Path uploads;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        uploads = Files.createTempDirectory("saker-e2e-uploads");
        SakerServletContext context = new SakerServletContext("", SpringMvcOnSakerTest.class.getClassLoader());
        AnnotationConfigWebApplicationContext app = new AnnotationConfigWebApplicationContext();
        app.register(SampleApp.WebConfig.class, SampleApp.SecurityConfig.class);
        context.addListener(new ContextLoaderListener(app));
        ServletRegistration.Dynamic dispatcher = context.addServlet("dispatcher", new DispatcherServlet(app));
        dispatcher.setLoadOnStartup(1);
        dispatcher.setAsyncSupported(true);
        // Threshold 0 as Spring Boot's default (spring.servlet.multipart.file-size-threshold): every part spills to disk.
        dispatcher.setMultipartConfig(new MultipartConfigElement(uploads.toString(), 100L << 20, 101L << 20, 0));
        dispatcher.addMapping("/");
        // As every Spring MVC application (and Spring Boot) does: the Servlet default for requests is ISO-8859-1.
        FilterRegistration.Dynamic encoding = context.addFilter("characterEncodingFilter",
                new CharacterEncodingFilter("UTF-8", true));
        encoding.setAsyncSupported(true);
        encoding.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        FilterRegistration.Dynamic security = context.addFilter("springSecurityFilterChain",
                new DelegatingFilterProxy("springSecurityFilterChain", app));
        security.setAsyncSupported(true);
        security.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        container = new SakerServletContainer(context, ServletContainerConfig.defaults());
        container.errorPages().setGlobal("/error");
        container.start();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .dispatchMode(DispatchMode.WORKER_POOL).build(), container).start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop();
        container.stop();
        try (Stream<Path> files = Files.list(uploads)) {
            assertThat(files.count()).as("no upload left behind").isZero();
        }
        Files.delete(uploads);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonInAndOutWithPathVariables() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/items/42"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"widget\",\"quantity\":21}")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"id\":\"42\",\"name\":\"widget\",\"doubled\":42,\"tags\":[\"a\",\"b\"]}");
    }

    @Test
    void formPostsBindRequestParameters() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/form"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=J%C3%BCrgen&age=41")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Jürgen is 41");
    }

    @Test
    void exceptionsReachTheErrorPage() throws Exception {
        HttpResponse<String> failed = send(HttpRequest.newBuilder(uri("/api/fail")));
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("{\"status\":500,\"path\":\"/api/fail\"}");
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/no/such/page")));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"status\":404,\"path\":\"/no/such/page\"}");
    }

    @Test
    void a50MibUploadStreamsToDiskAndIsCleanedUp() throws Exception {
        int size = 50 * 1024 * 1024;
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 7);
        }
        CRC32 crc = new CRC32();
        for (int done = 0; done < size; done += block.length) {
            crc.update(block);
        }
        String boundary = "saker-boundary-7d1f";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        Iterator<byte[]> pieces = new Iterator<>() {
            private int sent = -1;

            @Override
            public boolean hasNext() {
                return sent <= size;
            }

            @Override
            public byte[] next() {
                if (sent < 0) {
                    sent = 0;
                    return head;
                }
                if (sent == size) {
                    sent++;
                    return tail;
                }
                sent += block.length;
                return block;
            }
        };
        long heapBefore = usedHeap();
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArrays(() -> pieces),
                        head.length + size + tail.length)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("big.bin " + size + " " + Long.toHexString(crc.getValue()));
        assertThat(usedHeap() - heapBefore).as("heap growth for a 50 MiB upload").isLessThan(40L * 1024 * 1024);
        try (Stream<Path> files = Files.list(uploads)) {
            assertThat(files.count()).as("temporary part file deleted after the request").isZero();
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void downloadsHonourRangeRequests() throws Exception {
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(uri("/download")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(SampleApp.DOWNLOAD);
        HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(uri("/download")).header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + SampleApp.DOWNLOAD.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(SampleApp.DOWNLOAD, 1000, 2000));
    }

    @Test
    void staticResourcesCarryCachingHeadersAndRevalidate() throws Exception {
        HttpResponse<String> css = send(HttpRequest.newBuilder(uri("/static/app.css")));
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.body()).contains("rebeccapurple");
        assertThat(css.headers().firstValue("Cache-Control")).hasValue("max-age=3600");
        String lastModified = css.headers().firstValue("Last-Modified").orElseThrow();
        HttpResponse<String> again = send(HttpRequest.newBuilder(uri("/static/app.css")).header("If-Modified-Since", lastModified));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void deferredResultCompletesFromAnotherThreadAndTimesOut() throws Exception {
        HttpResponse<String> deferred = send(HttpRequest.newBuilder(uri("/deferred")));
        assertThat(deferred.statusCode()).isEqualTo(200);
        assertThat(deferred.body()).startsWith("deferred from ");
        HttpResponse<String> callable = send(HttpRequest.newBuilder(uri("/callable")));
        assertThat(callable.statusCode()).isEqualTo(200);
        assertThat(callable.body()).isEqualTo("callable on executor");
        HttpResponse<String> timedOut = send(HttpRequest.newBuilder(uri("/deferred-timeout")));
        assertThat(timedOut.statusCode()).isEqualTo(503);
    }

    @Test
    void sseEventsStreamOneByOne() throws Exception {
        SampleApp.sseGate = new CountDownLatch(1);
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri("/sse")).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        try (InputStream in = response.body()) {
            String first = readEvent(in);
            assertThat(first).isEqualTo("event:tick\ndata:one\n");
            // The second event is only sent once the first has arrived: it really streams.
            SampleApp.sseGate.countDown();
            assertThat(readEvent(in)).isEqualTo("event:tick\ndata:two\n");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private static String readEvent(InputStream in) throws IOException {
        StringBuilder event = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            event.append((char) b);
            if (event.length() >= 2 && event.charAt(event.length() - 1) == '\n' && event.charAt(event.length() - 2) == '\n') {
                return event.substring(0, event.length() - 1);
            }
        }
        return event.toString();
    }

    @Test
    void springSecurityFormLoginWithCsrfAndSessionFixationProtection() throws Exception {
        HttpResponse<String> protectedPage = send(HttpRequest.newBuilder(uri("/secure/me")));
        assertThat(protectedPage.statusCode()).isEqualTo(302);
        assertThat(protectedPage.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        String anonymousSession = sessionCookie(protectedPage);

        HttpResponse<String> loginPage = send(HttpRequest.newBuilder(uri("/login")).header("Cookie", "JSESSIONID=" + anonymousSession));
        assertThat(loginPage.statusCode()).isEqualTo(200);
        Matcher token = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(token.find()).as("CSRF token in the login form").isTrue();

        HttpResponse<String> noToken = send(HttpRequest.newBuilder(uri("/login"))
                .header("Cookie", "JSESSIONID=" + anonymousSession)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=secret")));
        assertThat(noToken.statusCode()).isEqualTo(403);

        HttpResponse<String> login = send(HttpRequest.newBuilder(uri("/login"))
                .header("Cookie", "JSESSIONID=" + anonymousSession)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=secret&_csrf=" + token.group(1))));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/secure/me");
        String authenticatedSession = sessionCookie(login);
        assertThat(authenticatedSession).as("session id changed at login").isNotEqualTo(anonymousSession);

        HttpResponse<String> me = send(HttpRequest.newBuilder(uri("/secure/me")).header("Cookie", "JSESSIONID=" + authenticatedSession));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).isEqualTo("hello alice");

        HttpResponse<String> fixated = send(HttpRequest.newBuilder(uri("/secure/me")).header("Cookie", "JSESSIONID=" + anonymousSession));
        assertThat(fixated.statusCode()).as("the pre-login session id is worthless").isEqualTo(302);
    }

    private static final String BOUNDARY = "saker-e2e-form";

    /** A multipart form: text fields (name, value pairs) then one small file. */
    private static HttpRequest.Builder multipartForm(String path, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"").append(fields[i])
                    .append("\"\r\n\r\n").append(fields[i + 1]).append("\r\n");
        }
        body.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n")
                .append("Content-Type: text/plain\r\n\r\nsome notes\r\n--").append(BOUNDARY).append("--\r\n");
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    }

    @Test
    void multipartTextFieldsBindUnderBootsDefaultThresholdOfZero() throws Exception {
        HttpResponse<String> response = send(multipartForm("/api/titled", "title", "Grüße"));
        assertThat(response.statusCode()).isEqualTo(200);
        // CharacterEncodingFilter sets UTF-8 before the parameters are read.
        assertThat(response.body()).isEqualTo("Grüße notes.txt 10");
    }

    @Test
    void aMultipartFormWithItsCsrfTokenAsAFieldPassesSpringSecurity() throws Exception {
        HttpResponse<String> loginPage = send(HttpRequest.newBuilder(uri("/login")));
        String session = sessionCookie(loginPage);
        Matcher token = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(token.find()).isTrue();

        HttpResponse<String> noToken = send(multipartForm("/titled", "title", "t").header("Cookie", "JSESSIONID=" + session));
        assertThat(noToken.statusCode()).isEqualTo(403);

        HttpResponse<String> withToken = send(multipartForm("/titled", "_csrf", token.group(1), "title", "report")
                .header("Cookie", "JSESSIONID=" + session));
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.body()).isEqualTo("report notes.txt 10");
    }

    private static String sessionCookie(HttpResponse<?> response) {
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            if (cookie.startsWith("JSESSIONID=")) {
                return cookie.substring("JSESSIONID=".length(), cookie.indexOf(';'));
            }
        }
        throw new AssertionError("no session cookie in " + response.headers().map());
    }
}
