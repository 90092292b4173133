package dev.saker.webflux.e2e;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A WebFlux application as a user writes it: a controller and a WebSocket handler, nothing Saker-specific. */
@SpringBootApplication
public class WebFluxStarterApplication {

    @Bean
    SimpleUrlHandlerMapping webSocketMapping() {
        WebSocketHandler echo = session -> session.send(session.receive()
                .map(message -> session.textMessage("echo " + message.getPayloadAsText())));
        return new SimpleUrlHandlerMapping(Map.of("/echo", echo), -1);
    }

    @RestController
    static class Hello {

        @GetMapping("/hello")
        Mono<String> hello() {
            return Mono.just("hello from webflux");
        }

        /** A JSON body in, a JSON body out. */
        @PostMapping("/greetings")
        Mono<Greeting> greet(@RequestBody Mono<Greeting> greeting) {
            return greeting.map(g -> new Greeting(g.name(), "hello " + g.name()));
        }

        /** Newline-delimited JSON, one element after the other. */
        @GetMapping(path = "/greetings", produces = MediaType.APPLICATION_NDJSON_VALUE)
        Flux<Greeting> greetings() {
            return Flux.range(1, 3).map(i -> new Greeting("n" + i, "hello n" + i));
        }
    }

    public record Greeting(String name, String text) {
    }
}
