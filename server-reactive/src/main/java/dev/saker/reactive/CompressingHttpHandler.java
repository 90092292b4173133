package dev.saker.reactive;

import java.util.List;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.MimeType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Gzip response compression for a reactive application ({@code server.compression.*}): a response
 * is compressed when the client accepts gzip, its user agent is not excluded, its content type is
 * one of {@code mimeTypes} (an unparseable one is none), it has no {@code Content-Encoding} yet, and it is at least
 * {@code minResponseSize} bytes (known from a one-buffer body or a declared {@code Content-Length};
 * a streamed body of unknown length is compressed). Flush points of {@code writeAndFlushWith}
 * (server-sent events) stay flush points.
 */
public final class CompressingHttpHandler implements HttpHandler {

    private final HttpHandler delegate;
    private final List<MimeType> mimeTypes;
    private final int minResponseSize;
    private final List<Pattern> excludedUserAgents;

    public CompressingHttpHandler(HttpHandler delegate, List<MimeType> mimeTypes, int minResponseSize,
                                  List<Pattern> excludedUserAgents) {
        this.delegate = delegate;
        this.mimeTypes = List.copyOf(mimeTypes);
        this.minResponseSize = minResponseSize;
        this.excludedUserAgents = List.copyOf(excludedUserAgents);
    }

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        if (request.getMethod() == HttpMethod.HEAD || !acceptsGzip(request.getHeaders()) || excluded(request.getHeaders())) {
            return delegate.handle(request, response);
        }
        return delegate.handle(request, new GzipResponse(response));
    }

    private static boolean acceptsGzip(HttpHeaders headers) {
        for (String value : headers.getOrEmpty(HttpHeaders.ACCEPT_ENCODING)) {
            for (String coding : value.split(",")) {
                String[] parts = coding.trim().split(";");
                String name = parts[0].trim();
                if (name.equalsIgnoreCase("gzip") || name.equals("*")) {
                    return !(parts.length > 1 && parts[1].replace(" ", "").matches("q=0(\\.0{0,3})?"));
                }
            }
        }
        return false;
    }

    private boolean excluded(HttpHeaders headers) {
        String agent = headers.getFirst(HttpHeaders.USER_AGENT);
        if (agent == null) {
            return false;
        }
        for (Pattern pattern : excludedUserAgents) {
            if (pattern.matcher(agent).matches()) {
                return true;
            }
        }
        return false;
    }

    private final class GzipResponse extends ServerHttpResponseDecorator {

        GzipResponse(ServerHttpResponse delegate) {
            super(delegate);
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            if (body instanceof Mono<? extends DataBuffer> single) {
                return single.flatMap(buffer -> {
                    if (!eligible(buffer.readableByteCount())) {
                        return super.writeWith(Mono.just(buffer));
                    }
                    GzipEncoder encoder = start();
                    try {
                        DataBuffer head = encoder.encode(buffer, false);
                        return super.writeWith(Flux.just(head, encoder.finish()).collectList()
                                .map(parts -> bufferFactory().join(parts)));
                    } finally {
                        encoder.end();
                    }
                });
            }
            if (!eligible(getHeaders().getContentLength())) {
                return super.writeWith(body);
            }
            GzipEncoder encoder = start();
            return super.writeWith(Flux.<DataBuffer>from(body).map(buffer -> encoder.encode(buffer, false))
                    .concatWith(Mono.fromSupplier(encoder::finish))
                    .doFinally(signal -> encoder.end()));
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            if (!eligible(getHeaders().getContentLength())) {
                return super.writeAndFlushWith(body);
            }
            GzipEncoder encoder = start();
            Flux<Flux<DataBuffer>> compressed = Flux.<Publisher<? extends DataBuffer>>from(body)
                    .map(inner -> Flux.<DataBuffer>from(inner).map(buffer -> encoder.encode(buffer, false))
                            .concatWith(Mono.fromSupplier(encoder::flush)));
            return super.writeAndFlushWith(compressed.concatWith(Mono.fromSupplier(() -> Flux.just(encoder.finish())))
                    .doFinally(signal -> encoder.end()));
        }

        /** @param length the body size when known, else -1 */
        private boolean eligible(long length) {
            HttpHeaders headers = getHeaders();
            HttpStatusCode status = getStatusCode();
            if (status != null && (status.value() == 204 || status.value() == 304 || status.is1xxInformational())) {
                return false;
            }
            if (headers.containsHeader(HttpHeaders.CONTENT_ENCODING) || (length >= 0 && length < minResponseSize)) {
                return false;
            }
            MediaType type;
            try {
                type = headers.getContentType();
            } catch (InvalidMediaTypeException e) {
                // An unparseable Content-Type matches no configured type: sent as it is, as by Boot's other servers.
                return false;
            }
            if (type == null) {
                return false;
            }
            for (MimeType candidate : mimeTypes) {
                if (candidate.isCompatibleWith(type)) {
                    return true;
                }
            }
            return false;
        }

        private GzipEncoder start() {
            HttpHeaders headers = getHeaders();
            headers.remove(HttpHeaders.CONTENT_LENGTH);
            headers.set(HttpHeaders.CONTENT_ENCODING, "gzip");
            headers.add(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            return new GzipEncoder(bufferFactory());
        }
    }
}
