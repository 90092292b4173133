package dev.saker.webflux.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.webflux.e2e.WebFluxStarterApplication.Greeting;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The tests a WebFlux application already has run unchanged on Saker: {@code @SpringBootTest} on a
 * random port with Boot's {@link WebTestClient}, and a {@link WebClient} calling the server.
 * With Reactor Netty excluded, both talk through the JDK's HTTP client.
 */
@SpringBootTest(classes = WebFluxStarterApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class WebTestClientTest {

    @Autowired
    private WebTestClient client;

    @LocalServerPort
    private int port;

    @Test
    void getPostAndAStreamThroughWebTestClient() {
        client.get().uri("/hello").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("hello from webflux");
        client.post().uri("/greetings").contentType(MediaType.APPLICATION_JSON).bodyValue(new Greeting("ada", null))
                .exchange()
                .expectStatus().isOk()
                .expectBody(Greeting.class).isEqualTo(new Greeting("ada", "hello ada"));
        client.get().uri("/greetings").accept(MediaType.APPLICATION_NDJSON).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .expectBodyList(Greeting.class)
                .isEqualTo(List.of(new Greeting("n1", "hello n1"), new Greeting("n2", "hello n2"),
                        new Greeting("n3", "hello n3")));
        client.get().uri("/nothing").exchange().expectStatus().isNotFound();
    }

    @Test
    void aWebClientReachesTheServer() {
        WebClient webClient = WebClient.builder().baseUrl("http://127.0.0.1:" + port).build();
        List<Greeting> streamed = webClient.get().uri("/greetings").accept(MediaType.APPLICATION_NDJSON)
                .retrieve().bodyToFlux(Greeting.class).collectList().block(Duration.ofSeconds(10));
        assertThat(streamed).extracting(Greeting::name).containsExactly("n1", "n2", "n3");
        Greeting answer = webClient.post().uri("/greetings").bodyValue(new Greeting("bo", null))
                .retrieve().bodyToMono(Greeting.class).block(Duration.ofSeconds(10));
        assertThat(answer).isEqualTo(new Greeting("bo", "hello bo"));
    }
}
