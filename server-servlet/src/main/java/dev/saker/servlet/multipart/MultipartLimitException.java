package dev.saker.servlet.multipart;

import dev.saker.servlet.request.FormException;

/**
 * A multipart body broke a limit (the servlet's {@code MultipartConfigElement} or the container's
 * part count, part header size or parameter count). An {@link IllegalStateException} as the Servlet
 * spec asks; the container answers it with 413. Messages say "too large", which Spring's multipart
 * resolver also maps to 413.
 */
public class MultipartLimitException extends FormException {

    private static final long serialVersionUID = 1L;

    public MultipartLimitException(String message) {
        super(413, message);
    }
}
