package dev.saker.boot.autoconfigure.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.boot.autoconfigure.servlet.SakerServletWebServerAutoConfiguration;
import java.lang.reflect.Type;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import org.springframework.web.socket.sockjs.client.RestTemplateXhrTransport;
import org.springframework.web.socket.sockjs.client.SockJsClient;

/**
 * STOMP over SockJS's HTTP fallbacks on Saker: Spring's {@code SockJsClient} (xhr-streaming, or
 * xhr-polling) under a {@code WebSocketStompClient} connects, subscribes to the simple broker,
 * sends to an {@code @MessageMapping} and receives the broadcast {@code MESSAGE}. The server records
 * the URI each SockJS session opened on, so the test knows which transport carried it.
 */
class SakerStompSockJsTest {

    @Configuration(proxyBeanMethods = false)
    @EnableWebSocketMessageBroker
    static class StompSockJsConfig implements WebSocketMessageBrokerConfigurer {

        private final BlockingQueue<URI> opened = new LinkedBlockingQueue<>();

        @Override
        public void registerStompEndpoints(StompEndpointRegistry registry) {
            registry.addEndpoint("/stomp").withSockJS();
            // SUBSCRIBE is handled before the SEND that follows it (the simple broker sends no receipts).
            registry.setPreserveReceiveOrder(true);
        }

        @Override
        public void configureMessageBroker(MessageBrokerRegistry registry) {
            registry.enableSimpleBroker("/topic");
            registry.setApplicationDestinationPrefixes("/app");
        }

        @Override
        public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
            registration.addDecoratorFactory(this::recordOpenings);
        }

        private WebSocketHandler recordOpenings(WebSocketHandler handler) {
            return new WebSocketHandlerDecorator(handler) {
                @Override
                public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                    opened.add(session.getUri());
                    super.afterConnectionEstablished(session);
                }
            };
        }

        @Bean
        OpenedSessions openedSessions() {
            return new OpenedSessions(opened);
        }

        @Bean
        SakerStompTest.GreetingController greetingController() {
            return new SakerStompTest.GreetingController();
        }
    }

    /** The URIs the server's SockJS sessions were opened on. */
    record OpenedSessions(BlockingQueue<URI> uris) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"xhr_streaming", "xhr"})
    void stompThroughTheSockJsHttpTransport(String transport) {
        new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
                .withConfiguration(AutoConfigurations.of(SakerServletWebServerAutoConfiguration.class,
                        SakerWebSocketAutoConfiguration.class, DispatcherServletAutoConfiguration.class))
                .withUserConfiguration(StompSockJsConfig.class)
                .withPropertyValues("server.port=0", "server.address=127.0.0.1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    int port = ((SakerWebServer) ((AnnotationConfigServletWebServerApplicationContext) context
                            .getSourceApplicationContext()).getWebServer()).getPort();
                    RestTemplateXhrTransport xhr = new RestTemplateXhrTransport();
                    // Without streaming the client polls (the server answers every poll with what is queued).
                    xhr.setXhrStreamingDisabled(transport.equals("xhr"));
                    WebSocketStompClient stomp = new WebSocketStompClient(new SockJsClient(List.of(xhr)));
                    stomp.setMessageConverter(new StringMessageConverter());
                    StompSession session = stomp.connectAsync("http://127.0.0.1:" + port + "/stomp",
                            new StompSessionHandlerAdapter() { }).get(10, TimeUnit.SECONDS);
                    try {
                        URI opened = context.getBean(OpenedSessions.class).uris().poll(10, TimeUnit.SECONDS);
                        assertThat(opened).as("the server's SockJS session").isNotNull();
                        assertThat(opened.getPath()).endsWith("/" + transport);
                        BlockingQueue<String> received = new LinkedBlockingQueue<>();
                        session.subscribe("/topic/greetings", new StompFrameHandler() {
                            @Override
                            public Type getPayloadType(StompHeaders headers) {
                                return String.class;
                            }

                            @Override
                            public void handleFrame(StompHeaders headers, Object payload) {
                                received.add(headers.getDestination() + " " + payload);
                            }
                        });
                        session.send("/app/hello", "Saker");
                        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("/topic/greetings Hello, Saker");
                        session.send("/app/hello", "again");
                        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("/topic/greetings Hello, again");
                    } finally {
                        session.disconnect();
                    }
                });
    }
}
