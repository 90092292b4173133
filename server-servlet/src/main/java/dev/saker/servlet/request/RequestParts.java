package dev.saker.servlet.request;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.Collection;

/**
 * The parts of a {@code multipart/form-data} request, as the multipart package parses them: the
 * request names only this, so it does not depend on the parser.
 */
public interface RequestParts {

    /** @return every part, in body order */
    Collection<Part> parts();

    /** @return the first part named {@code name}, or {@code null} */
    Part part(String name);

    /** Deletes every temporary file (the request is over). */
    void deleteFiles();

    /** Parses a multipart body; text fields without a file name are added to {@code parameters}. */
    @FunctionalInterface
    interface Parser {

        RequestParts parse(String contentType, InputStream body, MultipartConfigElement config, FormLimits limits,
                           Charset charset, RequestParameters parameters) throws IOException, ServletException;
    }
}
