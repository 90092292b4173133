package dev.saker.servlet.multipart;

import dev.saker.servlet.request.RequestParameters;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text fields (parts without a file name) of a multipart body, kept as bytes while the body is
 * parsed, whether or not their part spilled to disk, then decoded into request parameters. Their
 * values together are bounded by the form size limit, as Tomcat bounds them by its
 * {@code maxPostSize}. Charset of a field (Jetty's order): its part's {@code Content-Type} charset,
 * else the value of a {@code _charset_} field (RFC 7578, 4.6), else the request's encoding.
 */
final class TextFields {

    private static final String CHARSET_FIELD = "_charset_";

    private record Field(String name, byte[] value, String charset) {
    }

    private final long maxBytes;
    private final List<Field> fields = new ArrayList<>();
    private long bytes;

    /** @param maxBytes most bytes of all values together; negative: unlimited */
    TextFields(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** @return the buffer that collects the next field's value */
    ByteArrayOutputStream start() {
        return new ByteArrayOutputStream();
    }

    /** Appends value bytes, refusing them once the values together pass the limit. */
    void append(ByteArrayOutputStream value, byte[] b, int off, int len) {
        bytes += len;
        if (maxBytes >= 0 && bytes > maxBytes) {
            throw new MultipartLimitException("multipart request too large: text fields exceed " + maxBytes
                    + " bytes (saker.server.servlet.max-form-size)");
        }
        value.write(b, off, len);
    }

    /** @param charset the charset named by the part's Content-Type, or {@code null} */
    void add(String name, ByteArrayOutputStream value, String charset) {
        fields.add(new Field(name, value.toByteArray(), charset));
    }

    /** Adds every field, in body order, to the parameters. */
    void addTo(RequestParameters parameters, Charset requestCharset) {
        Charset fallback = requestCharset;
        for (Field field : fields) {
            if (field.name().equals(CHARSET_FIELD)) {
                fallback = charsetOr(new String(field.value(), StandardCharsets.US_ASCII).trim(), requestCharset);
                break;
            }
        }
        for (Field field : fields) {
            parameters.addExtra(field.name(), new String(field.value(), charsetOr(field.charset(), fallback)));
        }
    }

    /** @return the named charset, or {@code fallback} when the name is absent, unknown or not a legal name */
    private static Charset charsetOr(String name, Charset fallback) {
        try {
            return name != null && !name.isEmpty() && Charset.isSupported(name) ? Charset.forName(name) : fallback;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
