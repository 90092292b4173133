package dev.saker.server.accesslog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed access log pattern: Tomcat's letters for what Saker knows (see {@code docs/access-log.md}),
 * turned once into a list of elements, and the header names those elements need captured. Unknown
 * letters are refused when the pattern is parsed, not when a line is written.
 */
public final class AccessLogPattern {

    /** Tomcat's {@code common}: client, identity, user, time, request line, status, bytes. */
    public static final String COMMON = "%h %l %u %t \"%r\" %s %b";
    /** Tomcat's {@code combined}: {@link #COMMON} with the referer and the user agent. */
    public static final String COMBINED = COMMON + " \"%{Referer}i\" \"%{User-Agent}i\"";
    /** The request header {@code %L} prefers to the server's sequence number. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** Appends one field of a record to a line. */
    interface Element {
        void append(StringBuilder line, AccessRecord record);
    }

    private final String source;
    private final List<Element> elements;
    private final HeaderNames requestNames = new HeaderNames();
    private final HeaderNames responseNames = new HeaderNames();

    private AccessLogPattern(String source, ZoneId zone) {
        this.source = source;
        this.elements = new Parser(source, zone, requestNames, responseNames).parse();
    }

    /**
     * @param pattern {@code common}, {@code combined} or a pattern of letters
     * @param zone the time zone of {@code %t}
     * @throws IllegalArgumentException for an unknown letter or an unclosed {@code %{}
     */
    public static AccessLogPattern parse(String pattern, ZoneId zone) {
        String source = switch (pattern) {
            case "common" -> COMMON;
            case "combined" -> COMBINED;
            default -> pattern;
        };
        return new AccessLogPattern(source, zone);
    }

    /** @return the pattern's letters ({@code common} and {@code combined} expanded) */
    public String source() {
        return source;
    }

    /** @return the request header names the pattern reads, in first-use order */
    public List<String> requestHeaderNames() {
        return requestNames.list();
    }

    /** @return the response header names the pattern reads */
    public List<String> responseHeaderNames() {
        return responseNames.list();
    }

    /** @return the line of {@code record} (without a line break) */
    public String format(AccessRecord record) {
        StringBuilder line = new StringBuilder(128);
        for (Element element : elements) {
            element.append(line, record);
        }
        return line.toString();
    }

    /** @return Tomcat's {@code %t}: {@code [10/Oct/2000:13:55:36 -0700]} */
    static DateTimeFormatter clfTime(ZoneId zone) {
        return DateTimeFormatter.ofPattern("'['dd/MMM/yyyy:HH:mm:ss Z']'", Locale.US).withZone(zone);
    }

    static String time(DateTimeFormatter format, long epochMillis) {
        return format.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Header names compared case-insensitively, each with its index in the captured values. */
    static final class HeaderNames {
        private final List<String> names = new ArrayList<>();

        int indexOf(String name) {
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(name)) {
                    return i;
                }
            }
            names.add(name);
            return names.size() - 1;
        }

        List<String> list() {
            return List.copyOf(names);
        }
    }
}
