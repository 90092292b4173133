package dev.saker.servlet.request;

import dev.saker.server.http.BadRequestException;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.Map;

/**
 * The parameters and parts of one request, parsed once on first use: the query, an urlencoded body
 * or a multipart body whose text fields become parameters (Servlet 6.1, 3.1 and 3.2). A parse that
 * fails fails the same way on every later call, since the body is gone.
 */
final class RequestForm {

    private final SakerRequest request;
    private final RequestParameters parameters = new RequestParameters();
    private RequestParts multipart;
    private Exception partsFailure;

    RequestForm(SakerRequest request) {
        this.request = request;
    }

    /** @return whether the parameters were parsed (the encoding can no longer change) */
    boolean parsed() {
        return parameters.parsed();
    }

    Map<String, String[]> parameters() {
        if (!parameters.parsed()) {
            try {
                if (isMultipart() && request.host().multipartConfigFor(request) != null) {
                    parts();
                }
                parameters.maxCount(request.host().formLimits().maxParameterCount());
                boolean form = isForm() && !request.bodyTaken();
                parameters.parse(request.getQueryString(), form ? request.bodyStream() : null, request.charset(),
                        request.host().formLimits().maxFormSize());
            } catch (FormException e) {
                parameters.parseFailed();
                throw e;
            } catch (BadRequestException e) {
                parameters.parseFailed();
                throw new FormException(e.status(), "cannot read the request parameters: " + e.getMessage(), e);
            } catch (IOException | ServletException e) {
                parameters.parseFailed();
                throw new IllegalStateException("cannot read the request parameters: " + e.getMessage(), e);
            }
        }
        return parameters.map();
    }

    RequestParts parts() throws IOException, ServletException {
        if (multipart == null) {
            if (!isMultipart()) {
                throw new ServletException("not a multipart/form-data request");
            }
            MultipartConfigElement config = request.host().multipartConfigFor(request);
            if (config == null) {
                throw new IllegalStateException("no multipart config for servlet "
                        + (request.match() == null ? "?" : request.match().servletName()));
            }
            rethrowFailure();
            parameters.maxCount(request.host().formLimits().maxParameterCount());
            try {
                multipart = request.host().multipartParser().parse(request.getContentType(), request.bodyStream(), config,
                        request.host().formLimits(), request.charset(), parameters);
            } catch (IOException | ServletException | RuntimeException e) {
                partsFailure = e;
                throw e;
            }
        }
        return multipart;
    }

    private void rethrowFailure() throws IOException, ServletException {
        if (partsFailure instanceof IOException io) {
            throw io;
        }
        if (partsFailure instanceof ServletException se) {
            throw se;
        }
        if (partsFailure instanceof RuntimeException re) {
            throw re;
        }
    }

    /** Deletes the parts' temporary files (the request is over). */
    void deleteFiles() {
        if (multipart != null) {
            multipart.deleteFiles();
        }
    }

    private boolean isForm() {
        String type = request.getContentType();
        String method = request.getMethod();
        return type != null && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                && !method.equals("GET") && !method.equals("HEAD");
    }

    private boolean isMultipart() {
        String type = request.getContentType();
        return type != null && type.regionMatches(true, 0, "multipart/form-data", 0, 19);
    }
}
