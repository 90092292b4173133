package dev.saker.servlet.resource;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Range: bytes=...} request field (RFC 9110 14.1.2) resolved against a length. A field
 * that does not parse is ignored (the whole resource is sent), as the RFC allows.
 */
final class ByteRanges {

    /** One satisfiable range, both ends inclusive. */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    /** The field asked for no byte the resource has: 416. */
    static final List<Range> UNSATISFIABLE = List.of();

    private ByteRanges() {
    }

    /**
     * @return the satisfiable ranges in request order, {@link #UNSATISFIABLE}, or {@code null} when
     *         the field is not a valid byte-range set (then it is ignored)
     */
    static List<Range> parse(String header, long length) {
        String value = header.trim();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        List<Range> ranges = new ArrayList<>();
        boolean any = false;
        for (String spec : value.substring(6).split(",")) {
            String s = spec.trim();
            if (s.isEmpty()) {
                continue;
            }
            int dash = s.indexOf('-');
            if (dash < 0) {
                return null;
            }
            long first;
            long last;
            try {
                if (dash == 0) {
                    long suffix = digits(s.substring(1));
                    if (suffix == 0) {
                        any = true;
                        continue;
                    }
                    first = Math.max(0, length - suffix);
                    last = length - 1;
                } else {
                    first = digits(s.substring(0, dash));
                    String end = s.substring(dash + 1);
                    last = end.isEmpty() ? length - 1 : Math.min(digits(end), length - 1);
                    if (!end.isEmpty() && digits(end) < first) {
                        return null;
                    }
                }
            } catch (NumberFormatException e) {
                return null;
            }
            any = true;
            if (first < length && first <= last) {
                ranges.add(new Range(first, last));
            }
        }
        if (!any) {
            return null;
        }
        return ranges.isEmpty() ? UNSATISFIABLE : ranges;
    }

    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            throw new NumberFormatException(text);
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new NumberFormatException(text);
            }
        }
        return Long.parseLong(text);
    }
}
