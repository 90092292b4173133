package dev.saker.boot.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/** STOMP over Saker's Jakarta WebSocket container: Spring's simple broker and an {@code @MessageMapping}. */
class SakerStompTest {

    @Configuration(proxyBeanMethods = false)
    @EnableWebSocketMessageBroker
    static class StompConfig implements WebSocketMessageBrokerConfigurer {
        @Override
        public void registerStompEndpoints(StompEndpointRegistry registry) {
            registry.addEndpoint("/stomp");
            // SUBSCRIBE is handled before the SEND that follows it (the simple broker sends no receipts).
            registry.setPreserveReceiveOrder(true);
        }

        @Override
        public void configureMessageBroker(MessageBrokerRegistry registry) {
            registry.enableSimpleBroker("/topic");
            registry.setApplicationDestinationPrefixes("/app");
        }

        @Bean
        GreetingController greetingController() {
            return new GreetingController();
        }
    }

    @Controller
    static class GreetingController {
        @MessageMapping("/hello")
        @SendTo("/topic/greetings")
        String greet(String name) {
            return "Hello, " + name;
        }
    }

    @Test
    void stompSubscribeSendAndReceive() {
        new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class,
                        SakerWebSocketAutoConfiguration.class, DispatcherServletAutoConfiguration.class))
                .withUserConfiguration(StompConfig.class)
                .withPropertyValues("server.port=0", "server.address=127.0.0.1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    int port = ((SakerWebServer) ((AnnotationConfigServletWebServerApplicationContext) context
                            .getSourceApplicationContext()).getWebServer()).getPort();
                    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
                    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("v12.stomp")
                            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/stomp"), new WebSocket.Listener() {
                                private final StringBuilder text = new StringBuilder();

                                @Override
                                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                    text.append(data);
                                    if (last) {
                                        frames.add(text.toString());
                                        text.setLength(0);
                                    }
                                    ws.request(1);
                                    return null;
                                }
                            }).get(10, TimeUnit.SECONDS);
                    try {
                        assertThat(socket.getSubprotocol()).isEqualTo("v12.stomp");
                        socket.sendText("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0", true).get(10, TimeUnit.SECONDS);
                        assertThat(next(frames)).startsWith("CONNECTED");
                        socket.sendText("SUBSCRIBE\nid:sub-0\ndestination:/topic/greetings\n\n\0", true)
                                .get(10, TimeUnit.SECONDS);
                        socket.sendText("SEND\ndestination:/app/hello\ncontent-type:text/plain\n\nSaker\0", true)
                                .get(10, TimeUnit.SECONDS);
                        String message = next(frames);
                        assertThat(message).startsWith("MESSAGE").contains("destination:/topic/greetings")
                                .endsWith("\n\nHello, Saker\0");
                    } finally {
                        socket.abort();
                    }
                });
    }

    private static String next(BlockingQueue<String> frames) throws InterruptedException {
        while (true) {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a STOMP frame within 10 s").isNotNull();
            if (!frame.equals("\n")) {
                return frame; // heart-beats are bare newlines
            }
        }
    }
}
