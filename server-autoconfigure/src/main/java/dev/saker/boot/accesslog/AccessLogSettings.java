package dev.saker.boot.accesslog;

import dev.saker.server.accesslog.AccessLog;
import dev.saker.server.accesslog.AccessLogPattern;
import dev.saker.server.accesslog.RollingFileOutput;
import dev.saker.server.accesslog.Slf4jOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What a web server's access log is to be ({@code saker.server.accesslog.*}), kept by the factory;
 * the {@link AccessLog} itself (a thread, open files) is made only when a web server is, by
 * {@link #create()}, and closed with it.
 *
 * @param pattern {@code common}, {@code combined} or a pattern of letters
 * @param format text or JSON lines
 * @param directory where the daily files go, or {@code null} for the SLF4J logger only
 * @param prefix the start of the file names
 * @param maxHistory days of files kept; 0 or less keeps them all
 * @param queueSize records queued before dropping
 */
public record AccessLogSettings(String pattern, AccessLog.Format format, Path directory, String prefix, int maxHistory,
        int queueSize) {

    /** Boot's Tomcat prefixes the management server's log the same way. */
    public static final String MANAGEMENT_PREFIX = "management_";

    public AccessLogSettings {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(prefix, "prefix");
        // Refuse a bad pattern at start-up, naming it, not when the first line is written.
        AccessLogPattern.parse(pattern, ZoneId.systemDefault());
        if (queueSize < 1) {
            throw new IllegalArgumentException("saker.server.accesslog.queue-size must be at least 1: " + queueSize);
        }
    }

    /** @return these settings for the management server: its own file prefix */
    public AccessLogSettings forManagement() {
        return new AccessLogSettings(pattern, format, directory, MANAGEMENT_PREFIX + prefix, maxHistory, queueSize);
    }

    /** @return a started access log writing to the SLF4J logger and, with a directory, to daily files */
    public AccessLog create() {
        AccessLog.Builder log = AccessLog.builder().pattern(pattern).format(format).queueSize(queueSize)
                .threadName("saker-accesslog-" + prefix).output(new Slf4jOutput());
        if (directory != null) {
            try {
                log.output(new RollingFileOutput(directory, prefix, maxHistory, Clock.systemDefaultZone()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the access log directory " + directory, e);
            }
        }
        return log.build();
    }
}
