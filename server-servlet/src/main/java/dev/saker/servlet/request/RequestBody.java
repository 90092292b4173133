package dev.saker.servlet.request;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHeaders;
import dev.saker.servlet.util.ContentTypes;
import dev.saker.servlet.util.SerialExecutor;
import jakarta.servlet.ServletInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A request's body: its character encoding (from {@code Content-Type}, else the context's default,
 * changeable until the body is read as text or as a form), length and type, the stream or reader
 * the application reads it through, and its trailer fields. A base class of {@link SakerRequest},
 * not a collaborator, so a request costs no extra allocation.
 */
abstract class RequestBody extends RequestHead {

    private String characterEncoding;
    private Charset charset;
    private SakerInputStream inputStream;
    private BufferedReader reader;
    private Executor callbacks;

    RequestBody(RequestHost host, HttpExchange exchange) {
        super(host, exchange);
        String defaultEncoding = host.context().getRequestCharacterEncoding();
        String fromType = ContentTypes.charsetOf(lifetime.headers(exchange).get("Content-Type"));
        this.characterEncoding = fromType != null ? fromType : defaultEncoding;
    }

    /** @return whether the parameters were parsed (the encoding can no longer change then) */
    abstract boolean formParsed();

    /** Releases what the body stream holds (the request is over). */
    void closeBody() {
        if (inputStream != null) {
            try {
                inputStream.close();
            } catch (IOException e) {
                // Only releases what the stream holds; nothing to report.
            }
        }
    }

    // ------------------------------------------------------------------ encoding, length and type

    @Override
    public String getCharacterEncoding() {
        lifetime.check();
        return characterEncoding;
    }

    @Override
    public void setCharacterEncoding(String env) throws UnsupportedEncodingException {
        lifetime.check();
        if (reader != null || formParsed()) {
            return;
        }
        try {
            charset = Charset.forName(env);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(env);
        }
        characterEncoding = env;
    }

    @Override
    public void setCharacterEncoding(Charset encoding) {
        lifetime.check();
        if (reader == null && !formParsed()) {
            charset = encoding;
            characterEncoding = encoding.name();
        }
    }

    Charset charset() {
        if (charset == null) {
            Charset resolved = StandardCharsets.ISO_8859_1;
            if (characterEncoding != null) {
                try {
                    resolved = Charset.forName(characterEncoding);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    resolved = StandardCharsets.ISO_8859_1;
                }
            }
            charset = resolved;
        }
        return charset;
    }

    @Override
    public int getContentLength() {
        long length = getContentLengthLong();
        return length > Integer.MAX_VALUE ? -1 : (int) length;
    }

    @Override
    public long getContentLengthLong() {
        String value = lifetime.headers(exchange).get("Content-Length");
        return value == null ? -1 : Long.parseLong(value);
    }

    @Override
    public String getContentType() {
        return lifetime.headers(exchange).get("Content-Type");
    }

    // ------------------------------------------------------------------ body streams

    @Override
    public ServletInputStream getInputStream() throws IOException {
        lifetime.check();
        if (reader != null) {
            throw new IllegalStateException("getReader() has already been called");
        }
        return bodyStream();
    }

    /** @return whether the application took the body (as a stream or a reader) */
    boolean bodyTaken() {
        return inputStream != null || reader != null;
    }

    SakerInputStream bodyStream() {
        if (inputStream == null) {
            inputStream = new SakerInputStream(exchange.requestBody(), lifetime, this::isAsyncStarted, callbacks());
        }
        return inputStream;
    }

    /** @return the serial executor that runs this request's non-blocking I/O listeners */
    @Override
    public Executor callbacks() {
        if (callbacks == null) {
            callbacks = new SerialExecutor(host::execute);
        }
        return callbacks;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        lifetime.check();
        if (reader == null) {
            if (inputStream != null) {
                throw new IllegalStateException("getInputStream() has already been called");
            }
            reader = new BufferedReader(new InputStreamReader(bodyStream(), charset()));
        }
        return reader;
    }

    // ------------------------------------------------------------------ trailer fields

    @Override
    public Map<String, String> getTrailerFields() {
        HttpHeaders trailers = live().requestBody().trailers();
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < trailers.size(); i++) {
            fields.merge(trailers.name(i).toLowerCase(Locale.ROOT), trailers.value(i), (a, b) -> a + "," + b);
        }
        return fields;
    }

    @Override
    public boolean isTrailerFieldsReady() {
        return inputStream != null && inputStream.isFinished() || live().requestBody().contentLength() >= 0;
    }
}
