package dev.saker.servlet.attributes;

/**
 * Tells values themselves that they were bound to or unbound from an {@link AttributeMap}: the
 * session's {@code HttpSessionBindingListener} semantics. Called before the {@link AttributeListener}.
 */
public interface ValueBinding {

    /** {@code value} is about to be stored under {@code name} (before {@code getAttribute} can see it). */
    void bound(Object owner, String name, Object value);

    /** {@code value} no longer is stored under {@code name} (replaced by another object, or removed). */
    void unbound(Object owner, String name, Object value);
}
