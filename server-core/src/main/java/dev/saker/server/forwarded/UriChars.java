package dev.saker.server.forwarded;

/**
 * Whether a scheme or host can be written in a URI as it is (RFC 3986 §3.1, §3.2.2): the same
 * character classes Spring's {@code UriComponents} verifies an encoded component against, so a
 * value accepted here is one a URI builder takes.
 */
final class UriChars {

    private UriChars() {
    }

    /** @return whether {@code scheme} is letters, digits, {@code + - .} only */
    static boolean scheme(String scheme) {
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            if (!(alpha(c) || digit(c) || c == '+' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return whether {@code host} is unreserved characters, sub-delimiters and percent-encodings,
     *         plus {@code [ ] :} when it is an IP literal in brackets
     */
    static boolean host(String host) {
        boolean literal = host.startsWith("[");
        int length = host.length();
        for (int i = 0; i < length; i++) {
            char c = host.charAt(i);
            if (c == '%') {
                if (i + 2 >= length || Character.digit(host.charAt(i + 1), 16) < 0 || Character.digit(host.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            } else if (!(unreserved(c) || subDelimiter(c) || literal && (c == '[' || c == ']' || c == ':'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean unreserved(char c) {
        return alpha(c) || digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean subDelimiter(char c) {
        return "!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static boolean alpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
