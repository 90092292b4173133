package dev.saker.servlet.multipart;

/**
 * A multipart body broke the servlet's {@code MultipartConfigElement} limits. An
 * {@link IllegalStateException} as the Servlet spec asks; the container answers it with 413.
 */
public class MultipartLimitException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public MultipartLimitException(String message) {
        super(message);
    }
}
