package dev.saker.websocket.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointRegistryTest {

    private final EndpointRegistry<String> registry = new EndpointRegistry<>();

    private void add(String path) {
        registry.add(UriTemplate.parse(path), path);
    }

    @Test
    void exactBeforeTemplatesAndLiteralSegmentsFirst() {
        add("/a/{x}/c");
        add("/a/b/{y}");
        add("/a/b/c");
        add("/{p}/{q}/{r}");
        assertThat(registry.match("/a/b/c").endpoint()).isEqualTo("/a/b/c");
        assertThat(registry.match("/a/b/d").endpoint()).isEqualTo("/a/b/{y}");
        assertThat(registry.match("/a/b/d").pathParameters()).isEqualTo(Map.of("y", "d"));
        assertThat(registry.match("/a/z/c").endpoint()).isEqualTo("/a/{x}/c");
        assertThat(registry.match("/q/z/c").pathParameters()).isEqualTo(Map.of("p", "q", "q", "z", "r", "c"));
        assertThat(registry.match("/a/b")).isNull();
        assertThat(registry.match("/a/b/c/d")).isNull();
        assertThat(registry.match("/a//c")).isNull();
    }

    @Test
    void equivalentTemplatesAndBadPathsAreRefused() {
        add("/chat/{room}");
        assertThatThrownBy(() -> add("/chat/{other}")).isInstanceOf(IllegalArgumentException.class);
        add("/chat");
        assertThatThrownBy(() -> add("/chat")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UriTemplate.parse("/a/b{c}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UriTemplate.parse("/a/{c}/{c}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UriTemplate.parse("relative")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rootPath() {
        add("/");
        assertThat(registry.match("/").endpoint()).isEqualTo("/");
    }
}
