package dev.saker.servlet.resource;

import dev.saker.servlet.request.HttpDates;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Evaluates conditional request fields against a resource's validators in the order of RFC 9110
 * 13.2.2: {@code If-Match}, else {@code If-Unmodified-Since} (412 when they fail), then
 * {@code If-None-Match}, else {@code If-Modified-Since} (304 for GET and HEAD).
 */
final class Preconditions {

    /** The request may proceed. */
    static final int PROCEED = 0;

    private Preconditions() {
    }

    /**
     * @param etag the resource's (strong) entity tag, quoted
     * @param lastModified epoch milliseconds, 0 when unknown
     * @return {@link #PROCEED}, 304 or 412
     */
    static int evaluate(HttpServletRequest request, String etag, long lastModified) {
        long modifiedSecond = lastModified / 1000;
        String ifMatch = request.getHeader("If-Match");
        if (ifMatch != null) {
            if (!matches(ifMatch, etag, false)) {
                return HttpServletResponse.SC_PRECONDITION_FAILED;
            }
        } else {
            long since = date(request.getHeader("If-Unmodified-Since"));
            if (since >= 0 && lastModified > 0 && modifiedSecond > since / 1000) {
                return HttpServletResponse.SC_PRECONDITION_FAILED;
            }
        }
        boolean safe = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag, true)) {
                return safe ? HttpServletResponse.SC_NOT_MODIFIED : HttpServletResponse.SC_PRECONDITION_FAILED;
            }
        } else if (safe) {
            long since = date(request.getHeader("If-Modified-Since"));
            if (since >= 0 && lastModified > 0 && modifiedSecond <= since / 1000) {
                return HttpServletResponse.SC_NOT_MODIFIED;
            }
        }
        return PROCEED;
    }

    /**
     * @return whether {@code If-Range} lets a range request through: an entity tag must match
     *         strongly, a date must equal the last modification (to the second)
     */
    static boolean ifRangeHolds(String ifRange, String etag, long lastModified) {
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag);
        }
        long date = date(value);
        return date >= 0 && lastModified > 0 && date / 1000 == lastModified / 1000;
    }

    /** @param weak weak comparison (If-None-Match) or strong (If-Match: a weak tag never matches) */
    private static boolean matches(String header, String etag, boolean weak) {
        String value = header.trim();
        if (value.equals("*")) {
            return true;
        }
        String target = opaque(etag);
        for (String candidate : value.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                if (!weak) {
                    continue;
                }
                tag = tag.substring(2);
            }
            if (tag.equals(target)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    private static long date(String value) {
        return value == null ? -1 : HttpDates.parse(value);
    }
}
