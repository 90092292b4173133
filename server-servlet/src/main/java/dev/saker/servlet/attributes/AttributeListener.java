package dev.saker.servlet.attributes;

/**
 * Hears the changes of an {@link AttributeMap}. One instance can serve many maps: the map passes
 * its owner (the context, request or session the event is about), so a request needs no listener
 * object of its own. Implementations build no event object when nobody listens.
 */
public interface AttributeListener {

    /** A name that had no value got {@code value}. */
    void added(Object owner, String name, Object value);

    /** A name's value was replaced; {@code oldValue} is the one replaced (what the Servlet events carry). */
    void replaced(Object owner, String name, Object oldValue);

    /** A name's value was removed. */
    void removed(Object owner, String name, Object oldValue);
}
