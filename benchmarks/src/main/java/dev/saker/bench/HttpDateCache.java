package dev.saker.bench;

import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutor;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The raw Netty peer's {@code Date} value, formatted once a second (as Saker does) rather than per response. */
final class HttpDateCache {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static volatile AsciiString value = format();

    private HttpDateCache() {
    }

    static AsciiString value() {
        return value;
    }

    static void start(EventExecutor executor) {
        executor.scheduleAtFixedRate(() -> value = format(), 1000, 1000, TimeUnit.MILLISECONDS);
    }

    private static AsciiString format() {
        return new AsciiString(IMF_FIXDATE.format(Instant.now()));
    }
}
