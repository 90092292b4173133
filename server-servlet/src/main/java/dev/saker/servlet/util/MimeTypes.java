package dev.saker.servlet.util;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** File extension to media type, with a default table of the common web types; overridable per context. */
public final class MimeTypes {

    private static final String[] DEFAULTS = {
        "html", "text/html", "htm", "text/html", "css", "text/css", "js", "text/javascript",
        "mjs", "text/javascript", "json", "application/json", "map", "application/json",
        "xml", "application/xml", "txt", "text/plain", "csv", "text/csv", "md", "text/markdown",
        "ics", "text/calendar", "vtt", "text/vtt", "yaml", "application/yaml", "yml", "application/yaml",
        "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif",
        "webp", "image/webp", "avif", "image/avif", "svg", "image/svg+xml", "ico", "image/x-icon",
        "bmp", "image/bmp", "tif", "image/tiff", "tiff", "image/tiff",
        "woff", "font/woff", "woff2", "font/woff2", "ttf", "font/ttf", "otf", "font/otf",
        "eot", "application/vnd.ms-fontobject",
        "mp3", "audio/mpeg", "wav", "audio/wav", "ogg", "audio/ogg", "oga", "audio/ogg", "weba", "audio/webm",
        "flac", "audio/flac", "aac", "audio/aac", "m4a", "audio/mp4",
        "mp4", "video/mp4", "webm", "video/webm", "ogv", "video/ogg", "mov", "video/quicktime",
        "avi", "video/x-msvideo", "mpeg", "video/mpeg",
        "pdf", "application/pdf", "zip", "application/zip", "gz", "application/gzip", "tar", "application/x-tar",
        "7z", "application/x-7z-compressed", "bz2", "application/x-bzip2", "rar", "application/vnd.rar",
        "jar", "application/java-archive", "war", "application/java-archive", "class", "application/java-vm",
        "wasm", "application/wasm", "bin", "application/octet-stream", "exe", "application/octet-stream",
        "doc", "application/msword", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls", "application/vnd.ms-excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt", "application/vnd.ms-powerpoint", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt", "application/vnd.oasis.opendocument.text", "ods", "application/vnd.oasis.opendocument.spreadsheet",
        "rtf", "application/rtf", "epub", "application/epub+zip", "xhtml", "application/xhtml+xml",
        "rss", "application/rss+xml", "atom", "application/atom+xml", "webmanifest", "application/manifest+json",
        "jsonld", "application/ld+json", "pem", "application/x-pem-file", "swf", "application/x-shockwave-flash",
    };

    private final Map<String, String> byExtension = new HashMap<>();

    /** A table holding the defaults. */
    public MimeTypes() {
        for (int i = 0; i < DEFAULTS.length; i += 2) {
            byExtension.put(DEFAULTS[i], DEFAULTS[i + 1]);
        }
    }

    /** Adds or replaces a mapping (extension without the dot, case-insensitive). */
    public void put(String extension, String mediaType) {
        byExtension.put(extension.toLowerCase(Locale.ROOT), mediaType);
    }

    /** @return the media type for the extension of {@code file}, or {@code null} if unknown */
    public String forFile(String file) {
        if (file == null) {
            return null;
        }
        int slash = file.lastIndexOf('/');
        int dot = file.lastIndexOf('.');
        if (dot <= slash || dot == file.length() - 1) {
            return null;
        }
        return byExtension.get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
