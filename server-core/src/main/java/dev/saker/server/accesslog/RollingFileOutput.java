package dev.saker.server.accesslog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Lines to {@code <directory>/<prefix><yyyy-MM-dd>.log}, one file per day of {@code clock}'s zone: the
 * first line of a new day opens that day's file (appending, so a restart keeps the day's lines) and
 * deletes files of this prefix older than {@code maxHistory} days. Buffered; flushed after each batch.
 */
public final class RollingFileOutput implements AccessLogOutput {

    private final Path directory;
    private final String prefix;
    private final int maxHistory;
    private final Clock clock;
    private BufferedWriter out;
    private LocalDate day;
    private long nextDayMillis;

    /**
     * @param prefix the start of every file name, for example {@code access_log.}
     * @param maxHistory days of files kept (today's included); 0 or less keeps every file
     * @param clock the time (and zone) that decides the day
     */
    public RollingFileOutput(Path directory, String prefix, int maxHistory, Clock clock) throws IOException {
        this.directory = directory;
        this.prefix = prefix;
        this.maxHistory = maxHistory;
        this.clock = clock;
        Files.createDirectories(directory);
    }

    /** @return the file of {@code day} */
    public Path file(LocalDate day) {
        return directory.resolve(prefix + day + ".log");
    }

    @Override
    public void write(String line) throws IOException {
        if (out == null || clock.millis() >= nextDayMillis) {
            roll();
        }
        out.write(line);
        out.write('\n');
    }

    private void roll() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
        day = LocalDate.now(clock);
        nextDayMillis = day.plusDays(1).atStartOfDay(clock.getZone()).toInstant().toEpochMilli();
        out = Files.newBufferedWriter(file(day), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        deleteOld();
    }

    private void deleteOld() throws IOException {
        if (maxHistory <= 0) {
            return;
        }
        LocalDate oldestKept = day.minusDays(maxHistory - 1L);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.log")) {
            for (Path file : files) {
                LocalDate fileDay = dayOf(file.getFileName().toString());
                if (fileDay != null && fileDay.isBefore(oldestKept)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** @return the day of a file of this prefix, or {@code null} for any other file (the prefix is not a glob) */
    private LocalDate dayOf(String name) {
        if (!name.startsWith(prefix) || !name.endsWith(".log")) {
            return null;
        }
        String date = name.substring(prefix.length(), name.length() - ".log".length());
        try {
            return LocalDate.parse(date);
        } catch (DateTimeParseException notOurs) {
            return null;
        }
    }

    @Override
    public void endBatch() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
