package dev.saker.servlet.request;

import dev.saker.servlet.attributes.AttributeListener;
import dev.saker.servlet.session.SessionManager;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import java.util.Map;

/**
 * What a request (and its response) needs from the container that serves it; the container
 * implements it, so the request package does not depend on the container, context or async classes.
 */
public interface RequestHost {

    /** @return the context the request belongs to */
    ServletContext context();

    /** @return the context's locale to character encoding map ({@code setLocale} picks the body's encoding) */
    Map<String, String> localeEncodings();

    /** @return the sessions of the context */
    SessionManager sessions();

    /** @return the limits that apply while the body is parsed as a form */
    FormLimits formLimits();

    /** @return the multipart config of the servlet the request is mapped to, or {@code null} */
    MultipartConfigElement multipartConfigFor(SakerRequest request);

    /** @return what parses {@code multipart/form-data} bodies */
    RequestParts.Parser multipartParser();

    /** @return what reports request attribute changes to the context's listeners (one for all requests) */
    AttributeListener requestAttributeEvents();

    /** Applies the container's SameSite policy to a cookie about to be sent. */
    void applySameSite(Cookie cookie);

    /**
     * @return a new {@code HttpUpgradeHandler} of {@code type}, made the way the container makes
     *         the application's listeners
     */
    <T extends jakarta.servlet.http.HttpUpgradeHandler> T createUpgradeHandler(Class<T> type)
            throws jakarta.servlet.ServletException;

    /** Runs a task on a container thread (async dispatches, non-blocking I/O listeners). */
    void execute(Runnable task);

    /** @return a new async cycle for {@code base}, started by {@code startAsync(request, response)} */
    AsyncCycle startAsync(SakerRequest base, ServletRequest request, ServletResponse response);
}
