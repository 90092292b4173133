package dev.saker.servlet.resource;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.jar.JarEntry;

/** A static resource the default servlet can serve: a file, or an entry of the class path. */
public interface WebResource {

    boolean isDirectory();

    /** @return the length in bytes, or -1 when unknown */
    long length();

    /** @return the last modification time in epoch milliseconds, or 0 when unknown */
    long lastModified();

    /** Opens the content positioned at {@code offset}; the caller closes it. */
    InputStream open(long offset) throws IOException;

    /** @return the resource for a class-path URL ({@code file:} becomes a file resource) */
    static WebResource of(URL url) {
        if (url.getProtocol().equals("file")) {
            try {
                return new FileResource(Paths.get(url.toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                // fall through to the generic URL form
            }
        }
        return new UrlResource(url);
    }

    /** A file of the document root or of a class-path directory. */
    final class FileResource implements WebResource {

        private final Path file;

        FileResource(Path file) {
            this.file = file;
        }

        @Override
        public boolean isDirectory() {
            return Files.isDirectory(file);
        }

        @Override
        public long length() {
            try {
                return Files.size(file);
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public long lastModified() {
            try {
                return Files.getLastModifiedTime(file).toMillis();
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public InputStream open(long offset) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                channel.position(offset);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return Channels.newInputStream(channel);
        }
    }

    /** An entry of a jar (or any other URL the class loader hands out). */
    final class UrlResource implements WebResource {

        private final URL url;
        private boolean directory;
        private long length = -1;
        private long lastModified;

        UrlResource(URL url) {
            this.url = url;
            try {
                URLConnection connection = url.openConnection();
                if (connection instanceof JarURLConnection) {
                    JarEntry entry = ((JarURLConnection) connection).getJarEntry();
                    if (entry != null) {
                        directory = entry.isDirectory();
                        length = entry.getSize();
                        lastModified = Math.max(entry.getTime(), 0);
                    }
                } else {
                    length = connection.getContentLengthLong();
                    lastModified = connection.getLastModified();
                    // getContentLengthLong opened a stream for some protocols: release it.
                    connection.getInputStream().close();
                }
            } catch (IOException e) {
                length = -1;
            }
        }

        @Override
        public boolean isDirectory() {
            return directory;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public long lastModified() {
            return lastModified;
        }

        @Override
        public InputStream open(long offset) throws IOException {
            InputStream in = url.openStream();
            try {
                in.skipNBytes(offset);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return in;
        }
    }
}
