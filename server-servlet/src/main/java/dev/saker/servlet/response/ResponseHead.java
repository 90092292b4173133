package dev.saker.servlet.response;

import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.MutableHeaders;
import dev.saker.server.http.ResponseHeaders;
import dev.saker.servlet.request.HttpDates;
import dev.saker.servlet.request.RequestHost;
import dev.saker.servlet.request.RequestLifetime;
import dev.saker.servlet.util.ContentTypes;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The head of a response: status, header fields, cookies, and the content type, character
 * encoding, length and locale rules of Servlet 6.1, 5.5 and 5.6. {@link ResponseBuffer} and
 * {@link SakerResponse} add the body; they are one object (base classes, not collaborators) so a
 * response costs no extra allocation per request.
 */
abstract class ResponseHead implements HttpServletResponse {

    final RequestLifetime lifetime;
    final RequestHost host;
    int status = 200;
    final MutableHeaders headers = new MutableHeaders();
    private String contentType;
    String characterEncoding;
    boolean encodingSet;
    private Locale locale;
    long contentLength = -1;

    ResponseHead(RequestLifetime lifetime, RequestHost host) {
        this.lifetime = lifetime;
        this.host = host;
    }

    /** @return whether the head was sent (no change to it counts any more) */
    abstract boolean headCommitted();

    /** @return whether the response was finished or aborted */
    abstract boolean ended();

    /** @return whether the request came over HTTPS (also behind a TLS-terminating proxy) */
    abstract boolean secureRequest();

    /** @return whether the body is written through {@code getWriter()} (the encoding is fixed then) */
    abstract boolean writerInUse();

    /** Back to a fresh head ({@code reset()}), keeping the encoding a writer already uses. */
    void resetHead() {
        status = 200;
        headers.clear();
        contentType = null;
        contentLength = -1;
        locale = null;
        if (!writerInUse()) {
            characterEncoding = null;
            encodingSet = false;
        }
    }

    /** Copies the head onto the engine's response. */
    void applyHead(HttpExchange exchange) {
        exchange.status(status);
        ResponseHeaders out = exchange.responseHeaders();
        for (int i = 0; i < headers.size(); i++) {
            out.add(headers.name(i), headers.value(i));
        }
        String type = contentTypeValue();
        if (type != null) {
            out.set("Content-Type", type);
        }
        if (contentLength >= 0) {
            out.set("Content-Length", Long.toString(contentLength));
        }
    }

    /** Adds (or replaces) the session cookie for {@code id}. */
    public void addSessionCookie(String id, SessionCookieConfig config, String contextPath) {
        Cookie cookie = new Cookie(config.getName(), id);
        cookie.setPath(config.getPath() != null ? config.getPath() : contextPath.isEmpty() ? "/" : contextPath);
        config.getAttributes().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Path")) {
                cookie.setAttribute(name, value);
            }
        });
        if (secureRequest()) {
            // As Tomcat: a session begun over HTTPS (also behind a TLS-terminating proxy) is never sent over HTTP.
            cookie.setSecure(true);
        }
        String prefix = config.getName() + "=";
        List<String> kept = new ArrayList<>();
        for (String existing : headers.getAll("Set-Cookie")) {
            if (!existing.startsWith(prefix)) {
                kept.add(existing);
            }
        }
        headers.remove("Set-Cookie");
        kept.forEach(v -> headers.add("Set-Cookie", v));
        if (!headCommitted()) {
            host.applySameSite(cookie);
            headers.add("Set-Cookie", SetCookieFormatter.format(cookie));
        }
    }

    // ------------------------------------------------------------------ status

    @Override
    public void setStatus(int sc) {
        lifetime.check();
        if (!headCommitted() && !ended()) {
            this.status = sc;
        }
    }

    @Override
    public int getStatus() {
        return status;
    }

    // ------------------------------------------------------------------ headers

    @Override
    public void setHeader(String name, String value) {
        lifetime.check();
        if (headCommitted() || name == null) {
            return;
        }
        if (special(name, value)) {
            return;
        }
        if (value == null) {
            headers.remove(name);
        } else {
            headers.set(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        lifetime.check();
        if (headCommitted() || name == null || value == null) {
            return;
        }
        if (special(name, value)) {
            return;
        }
        headers.add(name, value);
    }

    private boolean special(String name, String value) {
        if (name.equalsIgnoreCase("Content-Type")) {
            if (value == null) {
                contentType = null;
            } else {
                setContentType(value);
            }
            return true;
        }
        if (name.equalsIgnoreCase("Content-Length")) {
            contentLength = value == null ? -1 : Long.parseLong(value.trim());
            return true;
        }
        return false;
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, HttpDates.format(date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, HttpDates.format(date));
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public boolean containsHeader(String name) {
        return getHeader(name) != null;
    }

    @Override
    public String getHeader(String name) {
        lifetime.check();
        if (name.equalsIgnoreCase("Content-Type")) {
            return getContentType();
        }
        if (name.equalsIgnoreCase("Content-Length")) {
            return contentLength < 0 ? null : Long.toString(contentLength);
        }
        return headers.get(name);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        lifetime.check();
        String special = name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length") ? getHeader(name) : null;
        if (special != null) {
            return List.of(special);
        }
        return new ArrayList<>(headers.getAll(name));
    }

    @Override
    public Collection<String> getHeaderNames() {
        lifetime.check();
        List<String> names = new ArrayList<>(headers.names());
        if (getContentType() != null) {
            names.add("Content-Type");
        }
        if (contentLength >= 0) {
            names.add("Content-Length");
        }
        return names;
    }

    @Override
    public void addCookie(Cookie cookie) {
        lifetime.check();
        if (!headCommitted()) {
            host.applySameSite(cookie);
            headers.add("Set-Cookie", SetCookieFormatter.format(cookie));
        }
    }

    // ------------------------------------------------------------------ content type, encoding, length, locale

    @Override
    public void setContentType(String type) {
        lifetime.check();
        if (headCommitted()) {
            return;
        }
        if (type == null) {
            contentType = null;
            if (!writerInUse()) {
                characterEncoding = null;
                encodingSet = false;
            }
            return;
        }
        String charset = ContentTypes.charsetOf(type);
        int semi = type.indexOf(';');
        String base = type;
        if (charset != null) {
            StringBuilder rest = new StringBuilder(type.substring(0, semi < 0 ? type.length() : semi).trim());
            for (String param : type.substring(semi + 1).split(";")) {
                if (!param.trim().regionMatches(true, 0, "charset=", 0, 8) && !param.isBlank()) {
                    rest.append(';').append(param.trim());
                }
            }
            base = rest.toString();
        }
        contentType = base;
        if (charset != null && !writerInUse()) {
            characterEncoding = charset;
            encodingSet = true;
        }
    }

    @Override
    public String getContentType() {
        lifetime.check();
        return contentTypeValue();
    }

    private String contentTypeValue() {
        if (contentType == null) {
            return null;
        }
        if (encodingSet && characterEncoding != null && !contentType.contains("charset")) {
            return contentType + ";charset=" + characterEncoding;
        }
        return contentType;
    }

    @Override
    public void setCharacterEncoding(String charset) {
        lifetime.check();
        if (headCommitted() || writerInUse()) {
            return;
        }
        characterEncoding = charset;
        encodingSet = charset != null;
    }

    @Override
    public String getCharacterEncoding() {
        lifetime.check();
        return characterEncoding != null ? characterEncoding : defaultEncoding();
    }

    String defaultEncoding() {
        String contextDefault = host.context().getResponseCharacterEncoding();
        return contextDefault != null ? contextDefault : "ISO-8859-1";
    }

    @Override
    public void setContentLength(int len) {
        setContentLengthLong(len);
    }

    @Override
    public void setContentLengthLong(long len) {
        lifetime.check();
        if (!headCommitted()) {
            contentLength = len < 0 ? -1 : len;
        }
    }

    @Override
    public void setLocale(Locale loc) {
        lifetime.check();
        if (headCommitted() || loc == null) {
            return;
        }
        locale = loc;
        headers.set("Content-Language", loc.toLanguageTag());
        if (!encodingSet && !writerInUse()) {
            String mapped = host.localeEncodings().get(loc.toString());
            if (mapped == null) {
                mapped = host.localeEncodings().get(loc.getLanguage());
            }
            if (mapped != null) {
                characterEncoding = mapped;
            }
        }
    }

    @Override
    public Locale getLocale() {
        lifetime.check();
        return locale != null ? locale : Locale.getDefault();
    }
}
