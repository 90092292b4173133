package dev.saker.servlet.request;

import dev.saker.server.http1.QueryDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw request path into the decoded, normalized path that servlet mapping uses (the
 * "Path handling" rules): path parameters ({@code ;name=value}) are removed from each segment,
 * percent-escapes decoded as UTF-8, repeated slashes merged (as Tomcat does), {@code .} and
 * {@code ..} segments resolved. A path that climbs above the root, an encoded slash (unless allowed),
 * an encoded NUL, a backslash or invalid UTF-8 is rejected.
 *
 * @param decoded the normalized, decoded path, starting with '/'
 * @param sessionId the value of a {@code ;jsessionid=} path parameter, or {@code null}
 */
public record RequestPath(String decoded, String sessionId) {

    /** Why a path was refused; the container answers 400. */
    public static final class InvalidPathException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidPathException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param rawPath the path as sent (no query), starting with '/'
     * @param allowEncodedSlash whether {@code %2F} is accepted (and decoded to '/')
     * @param sessionCookieName the name of the session path parameter, lower case (usually {@code jsessionid})
     */
    public static RequestPath parse(String rawPath, boolean allowEncodedSlash, String sessionCookieName)
            throws InvalidPathException {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw new InvalidPathException("path must start with '/'");
        }
        String sessionId = null;
        StringBuilder withoutParams = new StringBuilder(rawPath.length());
        int i = 0;
        while (i < rawPath.length()) {
            char c = rawPath.charAt(i);
            if (c == ';') {
                int end = rawPath.indexOf('/', i);
                if (end < 0) {
                    end = rawPath.length();
                }
                String param = rawPath.substring(i + 1, end);
                int eq = param.indexOf('=');
                if (eq > 0 && param.substring(0, eq).equalsIgnoreCase(sessionCookieName)) {
                    sessionId = param.substring(eq + 1);
                }
                i = end;
                continue;
            }
            withoutParams.append(c);
            i++;
        }
        String decoded = decode(withoutParams.toString(), allowEncodedSlash);
        return new RequestPath(normalize(decoded), sessionId);
    }

    private static String decode(String path, boolean allowEncodedSlash) throws InvalidPathException {
        if (path.indexOf('%') < 0) {
            if (path.indexOf('\\') >= 0) {
                throw new InvalidPathException("backslash in path");
            }
            return path;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length()) {
                    throw new InvalidPathException("incomplete percent-escape");
                }
                int hi = QueryDecoder.hexDigit(path.charAt(i + 1));
                int lo = QueryDecoder.hexDigit(path.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new InvalidPathException("invalid percent-escape");
                }
                int b = (hi << 4) | lo;
                if (b == 0) {
                    throw new InvalidPathException("encoded NUL in path");
                }
                if (b == '/' && !allowEncodedSlash) {
                    throw new InvalidPathException("encoded slash in path");
                }
                if (b == '\\') {
                    throw new InvalidPathException("encoded backslash in path");
                }
                bytes.write(b);
                i += 2;
            } else if (c == '\\') {
                throw new InvalidPathException("backslash in path");
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // A non-ASCII character (a dispatcher path) stands for its UTF-8 bytes, as without escapes.
                int end = Character.isHighSurrogate(c) && i + 1 < path.length()
                        && Character.isLowSurrogate(path.charAt(i + 1)) ? i + 2 : i + 1;
                bytes.writeBytes(path.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidPathException("path is not valid UTF-8");
        }
    }

    /** Merges slashes and resolves dot segments; refuses to climb above the root. */
    static String normalize(String path) throws InvalidPathException {
        if (path.indexOf("//") < 0 && path.indexOf("/.") < 0) {
            return path;
        }
        String[] segments = path.split("/", -1);
        String[] out = new String[segments.length];
        int n = 0;
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.isEmpty() && !last) {
                continue;
            }
            if (s.equals(".")) {
                if (last) {
                    out[n++] = "";
                }
                continue;
            }
            if (s.equals("..")) {
                if (n == 0) {
                    throw new InvalidPathException("path climbs above the root");
                }
                n--;
                if (last) {
                    out[n++] = "";
                }
                continue;
            }
            out[n++] = s;
        }
        StringBuilder result = new StringBuilder(path.length());
        for (int i = 0; i < n; i++) {
            result.append('/').append(out[i]);
        }
        return result.length() == 0 ? "/" : result.toString();
    }
}
