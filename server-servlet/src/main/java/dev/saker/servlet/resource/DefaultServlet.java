package dev.saker.servlet.resource;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * Serves the web application's static resources (document root, then {@code META-INF/resources}
 * on the class path), the Servlet container's "default" servlet that Spring Boot registers with
 * {@code server.servlet.register-default-servlet=true}.
 *
 * <p>GET, HEAD and OPTIONS only (405 with {@code Allow} otherwise). Validators: a strong
 * {@code ETag} from length and modification time, and {@code Last-Modified}; conditional requests
 * answer 304 or 412. One byte range gets a 206 with {@code Content-Range}, an unsatisfiable range
 * a 416; a request for several ranges gets the whole resource (200), which RFC 9110 allows.
 * Directories: {@code index.html} (then {@code index.htm}) for {@code /dir/}, a redirect from
 * {@code /dir} to {@code /dir/}, never a listing (404). {@code WEB-INF} and {@code META-INF} are
 * never served. Content is streamed in chunks, never held whole in memory.
 */
public final class DefaultServlet extends HttpServlet {

    /** The name Servlet containers give this servlet. */
    public static final String NAME = "default";

    private static final String ALLOW = "GET, HEAD, OPTIONS";
    private static final List<String> WELCOME_FILES = List.of("index.html", "index.htm");
    private static final int CHUNK = 16 * 1024;

    private final ContextResources resources;

    /** @param resources the application's resources (the context's own, so the servlet and the API agree) */
    public DefaultServlet(ContextResources resources) {
        this.resources = resources;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            response.setHeader("Allow", ALLOW);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", ALLOW);
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        boolean include = request.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI) != null;
        String path = relativePath(request, include);
        WebResource resource = hidden(path) ? null : resources.resolve(path);
        String name = path;
        if (resource != null && !resource.isDirectory() && path.endsWith("/")) {
            resource = null;
        }
        if ((resource == null || resource.isDirectory()) && path.endsWith("/")) {
            name = null;
            resource = null;
            for (String welcome : WELCOME_FILES) {
                WebResource candidate = resources.resolve(path + welcome);
                if (candidate != null && !candidate.isDirectory()) {
                    resource = candidate;
                    name = path + welcome;
                    break;
                }
            }
        } else if (resource != null && resource.isDirectory() && !include) {
            String query = request.getQueryString();
            response.sendRedirect(request.getRequestURI() + "/" + (query == null ? "" : "?" + query));
            return;
        }
        if (resource == null || resource.isDirectory()) {
            if (include) {
                throw new FileNotFoundException("no resource at " + path);
            }
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (include) {
            copy(resource, 0, resource.length(), response.getOutputStream());
            return;
        }
        serve(request, response, resource, name, method.equals("HEAD"));
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, WebResource resource, String name,
                       boolean head) throws IOException {
        long length = resource.length();
        long lastModified = resource.lastModified();
        String etag = length >= 0 && lastModified > 0
                ? "\"" + Long.toHexString(length) + "-" + Long.toHexString(lastModified) + "\"" : null;
        if (etag != null) {
            response.setHeader("ETag", etag);
        }
        if (lastModified > 0) {
            response.setDateHeader("Last-Modified", lastModified);
        }
        int precondition = etag == null ? Preconditions.PROCEED : Preconditions.evaluate(request, etag, lastModified);
        if (precondition == HttpServletResponse.SC_NOT_MODIFIED) {
            response.setStatus(precondition);
            return;
        }
        if (precondition == HttpServletResponse.SC_PRECONDITION_FAILED) {
            response.sendError(precondition);
            return;
        }
        String type = getServletContext().getMimeType(name);
        if (type != null) {
            response.setContentType(type);
        }
        if (length < 0) {
            // Unknown length (an odd class-path URL): send it whole, chunked.
            if (!head) {
                copy(resource, 0, Long.MAX_VALUE, response.getOutputStream());
            }
            return;
        }
        response.setHeader("Accept-Ranges", "bytes");
        ByteRanges.Range range = null;
        String rangeHeader = request.getMethod().equals("GET") ? request.getHeader("Range") : null;
        String ifRange = request.getHeader("If-Range");
        if (rangeHeader != null && (ifRange == null || (etag != null && Preconditions.ifRangeHolds(ifRange, etag, lastModified)))) {
            List<ByteRanges.Range> ranges = ByteRanges.parse(rangeHeader, length);
            if (ranges == ByteRanges.UNSATISFIABLE) {
                response.setHeader("Content-Range", "bytes */" + length);
                response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
                response.setContentLength(0);
                return;
            }
            if (ranges != null && ranges.size() == 1) {
                range = ranges.get(0);
            }
        }
        long offset = 0;
        long count = length;
        if (range != null) {
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + length);
            offset = range.first();
            count = range.length();
        }
        response.setContentLengthLong(count);
        if (!head) {
            copy(resource, offset, count, response.getOutputStream());
        }
    }

    private static void copy(WebResource resource, long offset, long count, ServletOutputStream out) throws IOException {
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(count, 1))];
        try (InputStream in = resource.open(offset)) {
            long left = count;
            while (left > 0) {
                int read = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (read < 0) {
                    break;
                }
                out.write(chunk, 0, read);
                left -= read;
            }
        }
    }

    /** The context-relative path asked for (the included one during an include). */
    private static String relativePath(HttpServletRequest request, boolean include) {
        String servletPath;
        String pathInfo;
        if (include) {
            servletPath = (String) request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH);
            pathInfo = (String) request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
        } else {
            servletPath = request.getServletPath();
            pathInfo = request.getPathInfo();
        }
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    /** {@code WEB-INF} and {@code META-INF} are private to the application, in any letter case. */
    private static boolean hidden(String path) {
        for (String segment : path.split("/")) {
            String s = segment.toUpperCase(Locale.ROOT);
            if (s.equals("WEB-INF") || s.equals("META-INF")) {
                return true;
            }
        }
        return false;
    }
}
