package dev.saker.boot.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import dev.saker.websocket.server.SakerServerContainer;
import jakarta.servlet.ServletContext;
import jakarta.websocket.OnMessage;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/** Spring's WebSocket support end to end on Saker: a {@code TextWebSocketHandler} and an exported {@code @ServerEndpoint}. */
class SakerWebSocketAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner(
            AnnotationConfigServletWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class,
                    SakerWebSocketAutoConfiguration.class, DispatcherServletAutoConfiguration.class))
            .withUserConfiguration(EchoConfig.class)
            .withPropertyValues("server.port=0", "server.address=127.0.0.1",
                    "saker.server.websocket.max-text-message-size=1KB");

    @Configuration(proxyBeanMethods = false)
    @EnableWebSocket
    static class EchoConfig implements WebSocketConfigurer {
        @Override
        public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
            registry.addHandler(new EchoHandler(), "/echo");
        }

        @Bean
        ServerEndpointExporter serverEndpointExporter() {
            ServerEndpointExporter exporter = new ServerEndpointExporter();
            exporter.setAnnotatedEndpointClasses(GreetingEndpoint.class);
            return exporter;
        }
    }

    static class EchoHandler extends TextWebSocketHandler {
        @Override
        protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
            session.sendMessage(new TextMessage("echo:" + message.getPayload()));
        }
    }

    @ServerEndpoint("/greet/{name}")
    public static class GreetingEndpoint {
        @OnMessage
        public String greet(String text, @PathParam("name") String name) {
            return text + ", " + name;
        }
    }

    @Test
    void springTextWebSocketHandlerEchoes() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            ServletContext servletContext = ((WebApplicationContext) context.getSourceApplicationContext()).getServletContext();
            assertThat(servletContext.getAttribute(ServerContainer.class.getName())).isInstanceOf(SakerServerContainer.class);
            try (Client client = Client.connect(port(context), "/echo")) {
                client.socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
                assertThat(client.next()).isEqualTo("echo:hello");
                // saker.server.websocket.max-text-message-size: 1 KB
                client.socket.sendText("x".repeat(2048), true).get(10, TimeUnit.SECONDS);
                assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
            }
        });
    }

    @Test
    void exportedServerEndpointIsServed() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            try (Client client = Client.connect(port(context), "/greet/saker")) {
                client.socket.sendText("hi", true).get(10, TimeUnit.SECONDS);
                assertThat(client.next()).isEqualTo("hi, saker");
            }
        });
    }

    @Test
    void propertiesBecomeTheEngineSettings() {
        runner.withPropertyValues("saker.server.websocket.idle-timeout=7s", "saker.server.websocket.deflate=false",
                "saker.server.websocket.send-timeout=3s").run(context -> {
                    SakerServerContainer container = (SakerServerContainer) ((WebApplicationContext) context
                            .getSourceApplicationContext()).getServletContext().getAttribute(ServerContainer.class.getName());
                    assertThat(container.getDefaultMaxSessionIdleTimeout()).isEqualTo(7000);
                    assertThat(container.getDefaultAsyncSendTimeout()).isEqualTo(3000);
                    assertThat(container.getDefaultMaxTextMessageBufferSize()).isEqualTo(1024);
                    assertThat(container.getInstalledExtensions()).isEmpty();
                });
    }

    private static int port(AssertableWebApplicationContext context) {
        return ((SakerWebServer) ((AnnotationConfigServletWebServerApplicationContext) context
                .getSourceApplicationContext()).getWebServer()).getPort();
    }

    /** The JDK's client, with the text messages it receives queued. */
    private static final class Client implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder text = new StringBuilder();
        WebSocket socket;

        static Client connect(int port, String path) throws Exception {
            Client client = new Client();
            client.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + path), client).get(10, TimeUnit.SECONDS);
            return client;
        }

        String next() throws InterruptedException {
            String message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message within 10 s").isNotNull();
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
