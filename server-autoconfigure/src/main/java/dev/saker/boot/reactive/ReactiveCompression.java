package dev.saker.boot.reactive;

import dev.saker.reactive.CompressingHttpHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.web.server.Compression;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/** {@code server.compression.*} for a reactive application: gzip around the application's handler when enabled. */
final class ReactiveCompression {

    private ReactiveCompression() {
    }

    static HttpHandler wrap(HttpHandler handler, Compression compression) {
        if (compression == null || !compression.getEnabled()) {
            return handler;
        }
        List<MimeType> mimeTypes = new ArrayList<>();
        for (String type : compression.getAllMimeTypes()) {
            mimeTypes.add(MimeTypeUtils.parseMimeType(type));
        }
        List<Pattern> excluded = new ArrayList<>();
        if (compression.getExcludedUserAgents() != null) {
            for (String agent : compression.getExcludedUserAgents()) {
                excluded.add(Pattern.compile(agent));
            }
        }
        return new CompressingHttpHandler(handler, mimeTypes, (int) compression.getMinResponseSize().toBytes(), excluded);
    }
}
