package dev.saker.starter;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * An application as a user switching from Tomcat writes it: {@code spring-boot-starter-websocket}
 * without {@code spring-boot-starter-tomcat}, plus this starter and nothing else. It starts on Saker
 * and serves a WebSocket through Saker's Jakarta WebSocket container, with no Tomcat on the class path.
 */
@SpringBootTest(classes = StarterWebSocketTest.EchoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "server.address=127.0.0.1")
class StarterWebSocketTest {

    @SpringBootApplication
    @EnableWebSocket
    static class EchoApplication implements WebSocketConfigurer {
        @Override
        public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
            registry.addHandler(new TextWebSocketHandler() {
                @Override
                protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
                    session.sendMessage(new TextMessage("echo:" + message.getPayload()));
                }
            }, "/echo");
        }
    }

    @Autowired
    private ServletWebServerApplicationContext context;

    @Autowired
    private ServletContext servletContext;

    @Test
    void servesAWebSocketOnSakerWithoutTomcat() throws Exception {
        assertThat(ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", null)).as("Tomcat").isFalse();
        assertThat(ClassUtils.isPresent("org.apache.tomcat.websocket.server.WsSci", null)).as("Tomcat's WebSocket").isFalse();
        assertThat(context.getWebServer().getClass().getName()).isEqualTo("dev.saker.boot.servlet.SakerServletWebServer");
        assertThat(servletContext.getAttribute(ServerContainer.class.getName()).getClass().getName())
                .isEqualTo("dev.saker.websocket.server.SakerServerContainer");

        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + context.getWebServer().getPort() + "/echo"), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo:hello");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        } finally {
            socket.abort();
        }
    }
}
