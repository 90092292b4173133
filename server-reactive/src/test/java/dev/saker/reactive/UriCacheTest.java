package dev.saker.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UriCacheTest {

    private final UriCache cache = new UriCache();

    @Test
    void aStoredUriIsFoundOnlyUnderItsWholeKey() {
        URI uri = URI.create("http://h:1/a?b");
        cache.put(false, "h:1", "/a?b", uri);
        assertThat(cache.get(false, "h:1", new String("/a?b"))).isSameAs(uri);
        assertThat(cache.get(true, "h:1", "/a?b")).isNull();
        assertThat(cache.get(false, "h:2", "/a?b")).isNull();
        assertThat(cache.get(false, "h:1", "/a?c")).isNull();
    }

    @Test
    void aKeyThatSharesASlotReplacesTheEntryAndNeverAnswersForTheOther() {
        // Every target below lands somewhere among the slots: more keys than slots force collisions.
        for (int i = 0; i < UriCache.SIZE * 4; i++) {
            cache.put(false, "h", "/" + i, URI.create("http://h/" + i));
        }
        for (int i = 0; i < UriCache.SIZE * 4; i++) {
            URI found = cache.get(false, "h", "/" + i);
            if (found != null) {
                assertThat(found).hasPath("/" + i);
            }
        }
        assertThat(cache.get(false, "h", "/" + (UriCache.SIZE * 4 - 1))).hasPath("/" + (UriCache.SIZE * 4 - 1));
    }

    @Test
    void aLongKeyIsNotKept() {
        String target = "/" + "x".repeat(UriCache.MAX_KEY_LENGTH);
        cache.put(false, "h", target, URI.create("http://h" + target));
        assertThat(cache.get(false, "h", target)).isNull();
    }
}
