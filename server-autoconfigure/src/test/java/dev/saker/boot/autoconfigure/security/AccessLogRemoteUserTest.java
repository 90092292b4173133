package dev.saker.boot.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The access log's {@code %u} under a real Spring Security configuration (HTTP Basic, an in-memory
 * user): the user Security authenticated, {@code -} for an anonymous request.
 */
class AccessLogRemoteUserTest {

    private static final String ALICE = "Authorization: Basic "
            + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.ISO_8859_1)) + "\r\n";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class,
                    DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class,
                    SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
                    SecurityFilterAutoConfiguration.class))
            .withUserConfiguration(Secured.class, Endpoints.class)
            .withPropertyValues("server.port=0", "server.address=127.0.0.1", "saker.server.accesslog.enabled=true",
                    "saker.server.accesslog.pattern=%U %s %u");

    @Test
    void theUserSecurityAuthenticatedIsLoggedAnAnonymousRequestIsNot(@TempDir Path dir) {
        runner.withPropertyValues("saker.server.accesslog.directory=" + dir).run(context -> {
            int port = port(context);
            assertThat(get(port, "/me", ALICE)).isEqualTo(200);
            assertThat(get(port, "/public", "")).isEqualTo(200);
            assertThat(get(port, "/me", "")).isEqualTo(401);
            assertThat(get(port, "/async", ALICE)).isEqualTo(200);
            assertThat(get(port, "/boom", ALICE)).isEqualTo(500);
            assertThat(get(port, "/admin", ALICE)).isEqualTo(403);
            Path file = dir.resolve("access_log." + LocalDate.now() + ".log");
            assertThat(Poll.until(Duration.ofSeconds(10), () -> lines(file).size() >= 6)).isTrue();
            assertThat(lines(file)).containsExactly("/me 200 alice", "/public 200 -", "/me 401 -", "/async 200 alice",
                    "/boom 500 alice", "/admin 403 alice");
        });
    }

    @Test
    void withoutAnAccessLogTheFilterIsNotThere() {
        runner.withPropertyValues("saker.server.accesslog.enabled=false").run(context -> {
            jakarta.servlet.ServletContext servletContext = ((AnnotationConfigServletWebServerApplicationContext)
                    ((AssertableWebApplicationContext) context).getSourceApplicationContext()).getServletContext();
            assertThat(servletContext.getFilterRegistration("sakerRemoteUserFilter")).isNull();
            assertThat(servletContext.getFilterRegistration("springSecurityFilterChain")).isNotNull();
        });
    }

    private static int get(int port, String path, String fields) throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n");
            return client.read().status();
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static int port(org.springframework.context.ApplicationContext context) {
        return ((AnnotationConfigServletWebServerApplicationContext)
                ((AssertableWebApplicationContext) context).getSourceApplicationContext()).getWebServer().getPort();
    }

    @Configuration(proxyBeanMethods = false)
    static class Secured {

        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests
                            .requestMatchers("/public", "/error").permitAll()
                            .requestMatchers("/admin").hasRole("ADMIN")
                            .anyRequest().authenticated())
                    .httpBasic(Customizer.withDefaults())
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}secret").roles("USER").build());
        }
    }

    @RestController
    static class Endpoints {

        @GetMapping({"/me", "/public", "/admin"})
        String hello() {
            return "hello";
        }

        @GetMapping("/async")
        Callable<String> async() {
            return () -> "later";
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("boom");
        }
    }
}
