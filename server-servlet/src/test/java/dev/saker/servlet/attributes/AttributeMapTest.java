package dev.saker.servlet.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeMapTest {

    private final List<String> events = new ArrayList<>();
    private final Object owner = new Object();

    private final AttributeListener listener = new AttributeListener() {
        @Override
        public void added(Object o, String name, Object value) {
            events.add(tag(o) + "added " + name + "=" + value);
        }

        @Override
        public void replaced(Object o, String name, Object oldValue) {
            events.add(tag(o) + "replaced " + name + "=" + oldValue);
        }

        @Override
        public void removed(Object o, String name, Object oldValue) {
            events.add(tag(o) + "removed " + name + "=" + oldValue);
        }
    };

    private final ValueBinding binding = new ValueBinding() {
        @Override
        public void bound(Object o, String name, Object value) {
            // What getAttribute shows at this point proves the order: bound before visible.
            events.add(tag(o) + "bound " + name + "=" + value + " (visible: " + map.get(name) + ")");
        }

        @Override
        public void unbound(Object o, String name, Object value) {
            events.add(tag(o) + "unbound " + name + "=" + value + " (visible: " + map.get(name) + ")");
        }
    };

    private AttributeMap map;

    private String tag(Object o) {
        return o == owner ? "" : "WRONG OWNER ";
    }

    @Test
    void addReplaceAndRemoveAreReportedWithTheOldValueOnReplace() {
        map = new AttributeMap(new HashMap<>(), owner, listener, null);
        map.set("a", "1");
        map.set("a", "2");
        map.remove("a");
        assertThat(events).containsExactly("added a=1", "replaced a=1", "removed a=2");
        assertThat(map.get("a")).isNull();
    }

    @Test
    void aNullValueRemoves() {
        map = new AttributeMap(new HashMap<>(), owner, listener, null);
        map.set("a", "1");
        map.set("a", null);
        assertThat(map.get("a")).isNull();
        assertThat(events).containsExactly("added a=1", "removed a=1");
    }

    @Test
    void removingOrNullingAnAbsentNameReportsNothing() {
        map = new AttributeMap(new HashMap<>(), owner, listener, binding);
        map.remove("missing");
        map.set("missing", null);
        assertThat(events).isEmpty();
    }

    @Test
    void valuesAreBoundBeforeTheyAreVisibleAndUnboundAfterTheyAreGone() {
        map = new AttributeMap(new HashMap<>(), owner, listener, binding);
        map.set("a", "1");
        map.set("a", "2");
        map.remove("a");
        assertThat(events).containsExactly(
                "bound a=1 (visible: null)", "added a=1",
                "bound a=2 (visible: 1)", "unbound a=1 (visible: 2)", "replaced a=1",
                "unbound a=2 (visible: null)", "removed a=2");
    }

    @Test
    void settingTheSameObjectAgainDoesNotUnbindIt() {
        map = new AttributeMap(new HashMap<>(), owner, listener, binding);
        String value = "v";
        map.set("a", value);
        events.clear();
        map.set("a", value);
        assertThat(events).containsExactly("bound a=v (visible: v)", "replaced a=v");
    }

    @Test
    void removeAllReportsEachAttribute() {
        map = new AttributeMap(new HashMap<>(), owner, listener, binding);
        map.set("a", "1");
        map.set("b", "2");
        events.clear();
        map.removeAll();
        assertThat(events).containsExactlyInAnyOrder("unbound a=1 (visible: null)", "removed a=1",
                "unbound b=2 (visible: null)", "removed b=2");
        assertThat(Collections.list(map.names())).isEmpty();
    }

    @Test
    void restoreAndClearSilentlyReportNothing() {
        map = new AttributeMap(new HashMap<>(), owner, listener, binding);
        map.restore(Map.of("a", "1"));
        assertThat(map.get("a")).isEqualTo("1");
        assertThat(map.snapshot()).isEqualTo(Map.of("a", "1"));
        map.clearSilently();
        assertThat(map.get("a")).isNull();
        assertThat(events).isEmpty();
    }

    @Test
    void namesAreASnapshotThatSurvivesChanges() {
        map = new AttributeMap(new HashMap<>(), owner, listener, null);
        map.set("a", "1");
        map.set("b", "2");
        var names = map.names();
        map.remove("a");
        map.set("c", "3");
        assertThat(Collections.list(names)).containsExactlyInAnyOrder("a", "b");
    }
}
