package dev.saker.servlet.dispatch;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The response as an included servlet sees it: it may write the body, but its attempts to change
 * the status ({@code setStatus}, {@code sendError}, {@code sendRedirect}), the headers, cookies,
 * content type, encoding, length, locale, trailers or buffer are ignored, as Servlet 6.1, 9.3 asks
 * and as Tomcat does. The including servlet owns the response.
 */
final class IncludedResponse extends HttpServletResponseWrapper {

    IncludedResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void setStatus(int sc) {
    }

    @Override
    public void sendError(int sc, String msg) {
    }

    @Override
    public void sendError(int sc) {
    }

    @Override
    public void sendRedirect(String location) {
    }

    @Override
    public void sendRedirect(String location, int sc) {
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) {
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) {
    }

    @Override
    public void setHeader(String name, String value) {
    }

    @Override
    public void addHeader(String name, String value) {
    }

    @Override
    public void setIntHeader(String name, int value) {
    }

    @Override
    public void addIntHeader(String name, int value) {
    }

    @Override
    public void setDateHeader(String name, long date) {
    }

    @Override
    public void addDateHeader(String name, long date) {
    }

    @Override
    public void addCookie(Cookie cookie) {
    }

    @Override
    public void setTrailerFields(Supplier<Map<String, String>> supplier) {
    }

    @Override
    public void setContentType(String type) {
    }

    @Override
    public void setContentLength(int len) {
    }

    @Override
    public void setContentLengthLong(long len) {
    }

    @Override
    public void setCharacterEncoding(String charset) {
    }

    @Override
    public void setCharacterEncoding(Charset charset) {
    }

    @Override
    public void setLocale(Locale loc) {
    }

    @Override
    public void setBufferSize(int size) {
    }

    @Override
    public void reset() {
    }
}
