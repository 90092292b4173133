package dev.saker.server.http;

/**
 * Mutable response header fields. Values may not contain CR or LF (response splitting); names must
 * be tokens. The engine writes {@code Date}, {@code Server}, {@code Content-Length},
 * {@code Transfer-Encoding} and {@code Connection} itself: setting the last three here is an error,
 * except {@code Content-Length} as a declaration of the body size.
 */
public interface ResponseHeaders extends HttpHeaders {

    /** Replaces every value of {@code name} with {@code value}. */
    ResponseHeaders set(String name, String value);

    /** Adds one more value of {@code name}. */
    ResponseHeaders add(String name, String value);

    /** Removes every value of {@code name}; returns whether any was present. */
    boolean remove(String name);

    /** Removes every field. */
    void clear();
}
