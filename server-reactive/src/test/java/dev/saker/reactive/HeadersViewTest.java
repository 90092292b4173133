package dev.saker.reactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.http.MutableHeaders;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Removing through the key and entry views changes the response's fields and is refused on the request's. */
class HeadersViewTest {

    private static MutableHeaders fields() {
        MutableHeaders fields = new MutableHeaders();
        fields.add("A", "1");
        fields.add("B", "2");
        fields.add("a", "3");
        return fields;
    }

    @Test
    void theResponseViewRemovesThroughItsKeysAndEntries() {
        MutableHeaders fields = fields();
        ResponseHeadersAdapter view = new ResponseHeadersAdapter(fields);
        assertThat(view.keySet()).containsExactly("A", "B");
        assertThat(view.entrySet()).extracting(Map.Entry::getValue).containsExactly(List.of("1", "3"), List.of("2"));
        assertThat(view.keySet().remove("b")).isTrue();
        assertThat(fields.contains("B")).isFalse();
        Iterator<Map.Entry<String, List<String>>> entries = view.entrySet().iterator();
        entries.next();
        entries.remove();
        assertThat(fields.size()).isZero();
    }

    @Test
    void theRequestViewRefusesRemovalThroughItsKeysAndEntries() {
        MutableHeaders fields = fields();
        RequestHeadersAdapter view = new RequestHeadersAdapter(fields);
        assertThat(view.keySet()).containsExactly("A", "B");
        assertThatThrownBy(() -> view.keySet().remove("A")).isInstanceOf(UnsupportedOperationException.class);
        Iterator<Map.Entry<String, List<String>>> entries = view.entrySet().iterator();
        entries.next();
        assertThatThrownBy(entries::remove).isInstanceOf(UnsupportedOperationException.class);
        assertThat(fields.getAll("a")).containsExactly("1", "3");
    }
}
