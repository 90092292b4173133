package dev.saker.server.forwarded;

/**
 * The request's fields as the forwarding parser reads them, so that it needs neither the Servlet
 * API nor Spring's: one value per name, several fields of one name given either joined into one
 * comma-separated list (RFC 9110 §5.3) or as the first alone, as the caller's API offers them.
 */
@FunctionalInterface
public interface ForwardedFields {

    /** @return the value of the field {@code name} (case-insensitive), or null when absent */
    String get(String name);
}
