package dev.saker.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Spring Security's WebFlux defaults, as Boot applies them, on Saker: HTTP Basic for a client that
 * asks for JSON, CSRF protection of unsafe methods, and the browser's form login, whose session
 * lives in a cookie across connections.
 */
class WebFluxSecurityTest {

    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("user:secret".getBytes(StandardCharsets.UTF_8));

    private static ConfigurableApplicationContext context;
    private static int port;

    @BeforeAll
    static void start() {
        context = WebFluxApps.start(App.class, "spring.security.user.name=user", "spring.security.user.password=secret");
        port = WebFluxApps.port(context);
    }

    @AfterAll
    static void stop() {
        context.close();
    }

    @Test
    void anApiClientWithoutCredentialsIsChallengedAndWithThemServed() throws Exception {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response refused = client.send("GET /me HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + "X-Requested-With: XMLHttpRequest\r\n\r\n").read();
            assertThat(refused.status()).isEqualTo(401);
            RawClient.Response served = client.send("GET /me HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + "Authorization: " + BASIC + "\r\n\r\n").read();
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.bodyText()).isEqualTo("user");
        }
    }

    @Test
    void anUnsafeMethodWithoutACsrfTokenIsForbidden() throws Exception {
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + BASIC
                    + "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi").read();
            assertThat(r.status()).isEqualTo(403);
        }
    }

    @Test
    void aBrowserLogsInWithTheFormAndItsSessionCookieCarriesOver() throws Exception {
        String sessionCookie;
        String csrf;
        try (RawClient client = new RawClient(port)) {
            RawClient.Response redirect = client.send("GET /me HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n").read();
            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.header("location")).endsWith("/login");
            RawClient.Response page = client.send("GET /login HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n").read();
            assertThat(page.status()).isEqualTo(200);
            Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.bodyText());
            assertThat(token.find()).as(page.bodyText()).isTrue();
            csrf = token.group(1);
            sessionCookie = cookie(page.headers().get("set-cookie"), "SESSION");
        }
        // Each step on a new connection: the session is the cookie's, not the connection's.
        String form = "username=user&password=secret&_csrf=" + java.net.URLEncoder.encode(csrf, StandardCharsets.UTF_8);
        String loggedIn;
        try (RawClient client = new RawClient(port)) {
            RawClient.Response r = client.send("POST /login HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                    + "Cookie: " + sessionCookie + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + form.length() + "\r\n\r\n" + form).read();
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.header("location")).doesNotContain("error");
            // Login changes the session id (session fixation protection).
            loggedIn = cookie(r.headers().get("set-cookie"), "SESSION");
            assertThat(loggedIn).isNotEqualTo(sessionCookie);
        }
        try (RawClient client = new RawClient(port)) {
            RawClient.Response me = client.send("GET /me HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                    + "Cookie: " + loggedIn + "\r\n\r\n").read();
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.bodyText()).isEqualTo("user");
        }
    }

    /** @return {@code name=value} of the named cookie among Set-Cookie fields */
    private static String cookie(List<String> setCookies, String name) {
        assertThat(setCookies).as("Set-Cookie").isNotNull();
        return setCookies.stream().filter(c -> c.startsWith(name + "=")).map(c -> c.split(";", 2)[0]).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + setCookies));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @RestController
        static class Controller {

            @GetMapping("/me")
            Mono<String> me(Mono<Principal> principal) {
                return principal.map(Principal::getName);
            }

            @PostMapping("/echo")
            Mono<String> echo(@RequestBody String body) {
                return Mono.just(body);
            }
        }
    }
}
