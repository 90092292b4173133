package dev.saker.servlet.multipart;

import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One part of a multipart/form-data body, held in memory or, past the threshold, in a temporary file. */
final class SakerPart implements Part {

    private final Map<String, List<String>> headers;
    private final String name;
    private final String fileName;
    private final Path location;
    private byte[] bytes;
    private Path file;
    private long size;

    SakerPart(Map<String, List<String>> headers, String name, String fileName, Path location) {
        this.headers = headers;
        this.name = name;
        this.fileName = fileName;
        this.location = location;
    }

    void setContent(byte[] content) {
        this.bytes = content;
        this.size = content.length;
    }

    void setFile(Path file, long size) {
        this.file = file;
        this.size = size;
    }

    byte[] bytesOrNull() {
        return bytes;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(bytes);
    }

    @Override
    public String getContentType() {
        return getHeader("Content-Type");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getSubmittedFileName() {
        return fileName;
    }

    @Override
    public long getSize() {
        return size;
    }

    @Override
    public void write(String target) throws IOException {
        Path destination = Path.of(target);
        if (!destination.isAbsolute()) {
            destination = location.resolve(target);
        }
        if (file != null) {
            Files.move(file, destination, StandardCopyOption.REPLACE_EXISTING);
            file = destination;
        } else {
            Files.write(destination, bytes);
        }
    }

    @Override
    public void delete() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
        bytes = null;
    }

    /** Deletes the temporary file, if this part still has one in the temporary location. */
    void deleteTemporary() {
        if (file != null && file.getParent() != null && file.getParent().equals(location)
                && file.getFileName().toString().startsWith(MultipartRequest.TEMP_PREFIX)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }

    @Override
    public String getHeader(String headerName) {
        List<String> values = headers.get(headerName.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Collection<String> getHeaders(String headerName) {
        List<String> values = headers.get(headerName.toLowerCase(Locale.ROOT));
        return values == null ? new ArrayList<>() : new ArrayList<>(values);
    }

    @Override
    public Collection<String> getHeaderNames() {
        return new ArrayList<>(new LinkedHashMap<>(headers).keySet());
    }
}
