package dev.saker.server.accesslog;

/** The path and query of a raw request target, split on the writer thread. */
final class Targets {

    private Targets() {
    }

    /** @return the target without its query, or {@code null} */
    static String path(String target) {
        if (target == null) {
            return null;
        }
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** @return the query (without {@code ?}), or {@code null} when the target has none */
    static String query(String target) {
        if (target == null) {
            return null;
        }
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }
}
