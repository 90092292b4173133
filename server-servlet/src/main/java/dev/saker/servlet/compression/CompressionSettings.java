package dev.saker.servlet.compression;

import java.util.List;
import java.util.regex.Pattern;

/**
 * When responses are gzip-compressed.
 *
 * @param mimeTypes media types (without parameters) that are compressed
 * @param minResponseSize smallest body compressed, in bytes (smaller ones go out as they are)
 * @param excludedUserAgents user agents (regular expressions) that never get compressed responses
 */
public record CompressionSettings(List<String> mimeTypes, int minResponseSize, List<Pattern> excludedUserAgents) {

    /** Spring Boot's defaults: text and JSON/XML/JavaScript types, 2 KiB. */
    public static CompressionSettings defaults() {
        return new CompressionSettings(List.of("text/html", "text/xml", "text/plain", "text/css", "text/javascript",
                "application/javascript", "application/json", "application/xml"), 2048, List.of());
    }

    boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String base = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        for (String type : mimeTypes) {
            if (type.equalsIgnoreCase(base) || (type.endsWith("/*") && base.regionMatches(true, 0, type, 0, type.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    boolean excluded(String userAgent) {
        if (userAgent == null) {
            return false;
        }
        for (Pattern p : excludedUserAgents) {
            if (p.matcher(userAgent).matches()) {
                return true;
            }
        }
        return false;
    }
}
