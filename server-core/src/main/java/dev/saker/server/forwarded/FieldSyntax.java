package dev.saker.server.forwarded;

/** The small pieces of field syntax the forwarding fields share: lists, parameters, quotes, ports. */
final class FieldSyntax {

    private FieldSyntax() {
    }

    /** @return the {@code for} nodes of {@code Forwarded}'s elements as one list, brackets and ports removed, or null */
    static String forNodes(String[] elements) {
        StringBuilder all = new StringBuilder();
        for (String element : elements) {
            String value = param(element, "for");
            if (value != null) {
                if (all.length() > 0) {
                    all.append(',');
                }
                all.append(stripBracketsAndPort(value));
            }
        }
        return all.length() == 0 ? null : all.toString();
    }

    private static String stripBracketsAndPort(String node) {
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end > 0 ? node.substring(1, end) : node;
        }
        int colon = node.indexOf(':');
        return colon > 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
    }

    /** @return the unquoted value of the parameter {@code name} (case-insensitive) of one {@code Forwarded} element, or null */
    static String param(String element, String name) {
        for (String pair : element.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return unquote(pair.substring(eq + 1).trim());
            }
        }
        return null;
    }

    static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /** @return the first entry of a comma-separated list, or null when it is empty */
    static String first(String list) {
        if (list == null) {
            return null;
        }
        int comma = list.indexOf(',');
        String value = (comma < 0 ? list : list.substring(0, comma)).trim();
        return value.isEmpty() ? null : value;
    }

    /** @return the port, or -1 when it is no number from 1 to 65535 */
    static int port(String text) {
        try {
            int p = Integer.parseInt(text.trim());
            return p > 0 && p < 65536 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
