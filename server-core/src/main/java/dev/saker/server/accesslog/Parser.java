package dev.saker.server.accesslog;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Turns the letters of a pattern into {@link AccessLogPattern.Element}s. */
final class Parser {

    private final String pattern;
    private final DateTimeFormatter time;
    private final AccessLogPattern.HeaderNames requestNames;
    private final AccessLogPattern.HeaderNames responseNames;
    private final List<AccessLogPattern.Element> elements = new ArrayList<>();
    private final StringBuilder literal = new StringBuilder();

    Parser(String pattern, ZoneId zone, AccessLogPattern.HeaderNames requestNames,
            AccessLogPattern.HeaderNames responseNames) {
        this.pattern = pattern;
        this.time = AccessLogPattern.clfTime(zone);
        this.requestNames = requestNames;
        this.responseNames = responseNames;
    }

    List<AccessLogPattern.Element> parse() {
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= pattern.length()) {
                throw new IllegalArgumentException("access log pattern ends with '%': " + pattern);
            }
            char letter = pattern.charAt(i + 1);
            if (letter == '{') {
                int close = pattern.indexOf('}', i + 2);
                if (close < 0 || close + 1 >= pattern.length()) {
                    throw new IllegalArgumentException("unclosed %{name}x in access log pattern: " + pattern);
                }
                named(pattern.substring(i + 2, close), pattern.charAt(close + 1));
                i = close + 2;
            } else {
                plain(letter);
                i += 2;
            }
        }
        endLiteral();
        return List.copyOf(elements);
    }

    private void plain(char letter) {
        if (letter == '%') {
            literal.append('%');
            return;
        }
        AccessLogPattern.Element element = switch (letter) {
            case 'h', 'a' -> (line, r) -> line.append(r.remote() == null ? "-" : r.remote().getAddress().getHostAddress());
            case 'l' -> (line, r) -> line.append('-');
            case 'u' -> (line, r) -> orDash(line, r.user());
            case 't' -> (line, r) -> line.append(AccessLogPattern.time(time, r.startEpochMillis()));
            case 'r' -> (line, r) -> {
                if (r.method() == null) {
                    line.append('-');
                } else {
                    line.append(r.method()).append(' ').append(r.target()).append(' ').append(r.protocol());
                }
            };
            case 's' -> (line, r) -> {
                if (r.status() == 0) {
                    line.append('-');
                } else {
                    line.append(r.status());
                }
            };
            case 'b' -> (line, r) -> {
                if (r.bytes() == 0) {
                    line.append('-');
                } else {
                    line.append(r.bytes());
                }
            };
            case 'B' -> (line, r) -> line.append(r.bytes());
            case 'D' -> (line, r) -> line.append(r.durationNanos() / 1_000);
            case 'T' -> (line, r) -> line.append(r.durationNanos() / 1_000_000_000L);
            case 'I' -> (line, r) -> line.append(r.thread());
            case 'm' -> (line, r) -> orDash(line, r.method());
            case 'U' -> (line, r) -> orDash(line, Targets.path(r.target()));
            case 'q' -> (line, r) -> {
                String query = Targets.query(r.target());
                if (query != null) {
                    line.append('?').append(query);
                }
            };
            case 'H' -> (line, r) -> orDash(line, r.protocol());
            case 'L' -> requestId();
            case 'R' -> (line, r) -> orDash(line, r.reason());
            default -> throw new IllegalArgumentException("unknown access log pattern letter %" + letter
                    + " (known: h a l u t r s b B D T I m U q H L R, %{name}i %{name}o %{name}c)");
        };
        add(element);
    }

    private AccessLogPattern.Element requestId() {
        int header = requestNames.indexOf(AccessLogPattern.REQUEST_ID_HEADER);
        return (line, r) -> {
            String sent = r.requestHeader(header);
            if (sent != null) {
                line.append(sent);
            } else {
                line.append(r.id());
            }
        };
    }

    private void named(String name, char letter) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty name in %{}" + letter + " of access log pattern: " + pattern);
        }
        switch (letter) {
            case 'i' -> {
                int index = requestNames.indexOf(name);
                add((line, r) -> orDash(line, r.requestHeader(index)));
            }
            case 'o' -> {
                int index = responseNames.indexOf(name);
                add((line, r) -> orDash(line, r.responseHeader(index)));
            }
            case 'c' -> {
                int index = requestNames.indexOf("Cookie");
                add((line, r) -> orDash(line, Cookies.value(r.requestHeader(index), name)));
            }
            default -> throw new IllegalArgumentException("unknown access log pattern element %{" + name + "}" + letter
                    + " (known: %{name}i request header, %{name}o response header, %{name}c cookie)");
        }
    }

    private void add(AccessLogPattern.Element element) {
        endLiteral();
        elements.add(element);
    }

    private void endLiteral() {
        if (literal.length() > 0) {
            String text = literal.toString();
            literal.setLength(0);
            elements.add((line, r) -> line.append(text));
        }
    }

    private static void orDash(StringBuilder line, String value) {
        line.append(value == null || value.isEmpty() ? "-" : value);
    }
}
