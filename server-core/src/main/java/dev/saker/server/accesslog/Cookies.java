package dev.saker.server.accesslog;

/** Finds one cookie in a {@code Cookie} field ({@code a=1; b=2}), for {@code %{name}c}. */
final class Cookies {

    private Cookies() {
    }

    /** @return the value of cookie {@code name} (quotes kept as sent), or {@code null} */
    static String value(String field, String name) {
        if (field == null) {
            return null;
        }
        for (String pair : field.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                return pair.substring(eq + 1).trim();
            }
        }
        return null;
    }
}
