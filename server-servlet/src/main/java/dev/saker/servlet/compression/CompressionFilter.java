package dev.saker.servlet.compression;

import dev.saker.servlet.response.SakerResponse;
import dev.saker.servlet.util.QualityValues;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Gzip response compression (Spring Boot's {@code server.compression.*}): for clients that accept
 * gzip, responses of a compressible type that reach the minimum size are compressed as they stream;
 * smaller ones go out unchanged with their length. Range responses and responses that already have
 * a {@code Content-Encoding} are left alone.
 */
public final class CompressionFilter implements Filter {

    private final CompressionSettings settings;

    public CompressionFilter(CompressionSettings settings) {
        this.settings = settings;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        if (!acceptsGzip(http.getHeader("Accept-Encoding")) || settings.excluded(http.getHeader("User-Agent"))
                || http.getHeader("Range") != null) {
            chain.doFilter(request, response);
            return;
        }
        CompressingResponse compressing = new CompressingResponse((HttpServletResponse) response, settings);
        // However the request ends (completed, failed, aborted, async or not), the compressor's
        // native memory is freed when the container ends the response.
        SakerResponse base = unwrap(response);
        if (base != null) {
            base.whenEnded(compressing::release);
        }
        try {
            chain.doFilter(request, compressing);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            compressing.release();
            throw e;
        }
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) throws IOException {
                    compressing.finish();
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                }

                @Override
                public void onError(AsyncEvent event) {
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                    event.getAsyncContext().addListener(this);
                }
            });
        } else {
            compressing.finish();
        }
    }

    private static SakerResponse unwrap(ServletResponse response) {
        ServletResponse current = response;
        while (current instanceof ServletResponseWrapper) {
            current = ((ServletResponseWrapper) current).getResponse();
        }
        return current instanceof SakerResponse ? (SakerResponse) current : null;
    }

    /** @return whether {@code Accept-Encoding} lists gzip (or *) with a non-zero quality */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.trim().split(";");
            String coding = parts[0].trim();
            if (!coding.equalsIgnoreCase("gzip") && !coding.equals("*")) {
                continue;
            }
            double q = QualityValues.weight(parts);
            return q > 0;
        }
        return false;
    }
}
