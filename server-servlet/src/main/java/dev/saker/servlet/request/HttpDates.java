package dev.saker.servlet.request;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** HTTP dates (RFC 9110 5.6.7): IMF-fixdate, plus the obsolete RFC 850 and asctime forms on input. */
public final class HttpDates {

    private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
            .withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** @return epoch milliseconds, or -1 when the text is not an HTTP date */
    public static long parse(String text) {
        for (DateTimeFormatter f : new DateTimeFormatter[] {IMF, RFC_850, ASCTIME}) {
            try {
                return ZonedDateTime.parse(text.trim(), f).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return -1;
    }

    public static String format(long epochMillis) {
        return IMF.format(java.time.Instant.ofEpochMilli(epochMillis));
    }
}
