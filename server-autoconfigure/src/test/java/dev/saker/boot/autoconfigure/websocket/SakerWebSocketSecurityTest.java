package dev.saker.boot.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.server.testing.RawClient;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * Spring Security on the WebSocket handshake (HTTP Basic, an in-memory user): without credentials
 * the handshake gets 401 and no session opens; with them it upgrades, and the session's principal,
 * Spring's and Jakarta's, is the user Security authenticated.
 */
class SakerWebSocketSecurityTest {

    private static final String ALICE = "Basic "
            + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.ISO_8859_1));
    private static final String WRONG = "Basic "
            + Base64.getEncoder().encodeToString("alice:wrong".getBytes(StandardCharsets.ISO_8859_1));

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class,
                    SakerWebSocketAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
                    SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
                    SecurityFilterAutoConfiguration.class))
            .withUserConfiguration(Secured.class, Endpoints.class)
            .withPropertyValues("server.port=0", "server.address=127.0.0.1");

    @Configuration(proxyBeanMethods = false)
    static class Secured {

        @Bean
        SecurityFilterChain chain(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests
                            .requestMatchers("/secured/**").authenticated()
                            .anyRequest().permitAll())
                    .httpBasic(Customizer.withDefaults())
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}secret").roles("USER").build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebSocket
    static class Endpoints implements WebSocketConfigurer {
        @Override
        public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
            registry.addHandler(new WhoAmI(), "/secured/spring");
        }

        @Bean
        ServerEndpointExporter serverEndpointExporter() {
            ServerEndpointExporter exporter = new ServerEndpointExporter();
            exporter.setAnnotatedEndpointClasses(JakartaWhoAmI.class);
            return exporter;
        }
    }

    /** Tells the client the session's principal as soon as it opens. */
    static class WhoAmI extends TextWebSocketHandler {
        @Override
        public void afterConnectionEstablished(WebSocketSession session) throws Exception {
            session.sendMessage(new TextMessage("spring:" + name(session.getPrincipal())));
        }
    }

    @ServerEndpoint("/secured/jakarta")
    public static class JakartaWhoAmI {
        @OnOpen
        public void open(Session session) throws IOException {
            session.getBasicRemote().sendText("jakarta:" + name(session.getUserPrincipal()));
        }
    }

    private static String name(Principal principal) {
        return principal == null ? "(none)" : principal.getName();
    }

    @Test
    void aHandshakeWithoutCredentialsGets401AndNoUpgrade() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            for (String path : new String[] {"/secured/spring", "/secured/jakarta"}) {
                for (String authorization : new String[] {"", "Authorization: " + WRONG + "\r\n"}) {
                    try (RawClient client = new RawClient(port(context))) {
                        client.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                + "Sec-WebSocket-Version: 13\r\n" + authorization + "\r\n");
                        RawClient.Response response = client.read();
                        assertThat(response.status()).as(path + " " + authorization).isEqualTo(401);
                        assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
                        assertThat(response.header("Upgrade")).isNull();
                        assertThat(response.header("Sec-WebSocket-Accept")).isNull();
                    }
                }
            }
            // The JDK's client sees the 401 as a failed handshake.
            assertThatThrownBy(() -> connect(context, "/secured/spring", null, new LinkedBlockingQueue<>()))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
            assertThat(sakerServer(context).server().stats().webSocket().sessionsOpened()).isZero();
        });
    }

    @Test
    void anAuthenticatedHandshakeUpgradesAndTheSessionPrincipalIsTheUser() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            BlockingQueue<String> spring = new LinkedBlockingQueue<>();
            WebSocket springSocket = connect(context, "/secured/spring", ALICE, spring);
            BlockingQueue<String> jakarta = new LinkedBlockingQueue<>();
            WebSocket jakartaSocket = connect(context, "/secured/jakarta", ALICE, jakarta);
            try {
                assertThat(spring.poll(10, TimeUnit.SECONDS)).isEqualTo("spring:alice");
                assertThat(jakarta.poll(10, TimeUnit.SECONDS)).isEqualTo("jakarta:alice");
                assertThat(sakerServer(context).server().stats().webSocket().sessionsOpened()).isEqualTo(2);
            } finally {
                springSocket.abort();
                jakartaSocket.abort();
            }
        });
    }

    private static WebSocket connect(AssertableWebApplicationContext context, String path, String authorization,
            BlockingQueue<String> messages) throws Exception {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + port(context) + path), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                messages.add(data.toString());
                ws.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    private static SakerWebServer sakerServer(AssertableWebApplicationContext context) {
        return (SakerWebServer) ((AnnotationConfigServletWebServerApplicationContext) context.getSourceApplicationContext())
                .getWebServer();
    }

    private static int port(AssertableWebApplicationContext context) {
        return sakerServer(context).getPort();
    }
}
