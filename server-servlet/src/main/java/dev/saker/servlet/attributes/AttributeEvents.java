package dev.saker.servlet.attributes;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Reports attribute changes to the Servlet listeners of one kind (context, request or session
 * attribute listeners): no event object is made when there are no listeners, and the listener
 * callbacks are method references, so a change allocates at most its one event.
 *
 * @param <L> the listener type
 * @param <E> the event type it takes
 */
public abstract class AttributeEvents<L, E> implements AttributeListener {

    private final BiConsumer<L, E> onAdded;
    private final BiConsumer<L, E> onReplaced;
    private final BiConsumer<L, E> onRemoved;

    protected AttributeEvents(BiConsumer<L, E> onAdded, BiConsumer<L, E> onReplaced, BiConsumer<L, E> onRemoved) {
        this.onAdded = onAdded;
        this.onReplaced = onReplaced;
        this.onRemoved = onRemoved;
    }

    /** @return the listeners to tell now (a cheap, cached lookup) */
    protected abstract List<L> listeners();

    /** @return the event for a change of {@code name} on {@code owner}, carrying {@code value} */
    protected abstract E event(Object owner, String name, Object value);

    @Override
    public final void added(Object owner, String name, Object value) {
        fire(onAdded, owner, name, value);
    }

    @Override
    public final void replaced(Object owner, String name, Object oldValue) {
        fire(onReplaced, owner, name, oldValue);
    }

    @Override
    public final void removed(Object owner, String name, Object oldValue) {
        fire(onRemoved, owner, name, oldValue);
    }

    private void fire(BiConsumer<L, E> callback, Object owner, String name, Object value) {
        List<L> listeners = listeners();
        if (listeners.isEmpty()) {
            return;
        }
        E event = event(owner, name, value);
        for (L listener : listeners) {
            callback.accept(listener, event);
        }
    }
}
