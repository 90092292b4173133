package dev.saker.servlet.util;

/** Reading parameters of a {@code Content-Type} value. */
public final class ContentTypes {

    private ContentTypes() {
    }

    /** @return the charset named by a Content-Type value, or {@code null} */
    public static String charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String value = p.substring(8).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }
}
