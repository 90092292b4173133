package dev.saker.servlet.dispatch;

import dev.saker.servlet.context.FilterHolder;
import dev.saker.servlet.context.SakerServletContext;
import dev.saker.servlet.context.ServletHolder;
import dev.saker.servlet.mapping.ServletMatch;
import dev.saker.servlet.request.SakerRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/** Runs one dispatch (request, forward, include, async, error): filter chain plus servlet. */
public final class Invoker {

    private Invoker() {
    }

    /**
     * @param base the container's own request, whose async support is set for this dispatch
     * @param match the servlet to run, or {@code null} to answer 404
     */
    public static void invoke(SakerServletContext context, SakerRequest base, ServletRequest request,
                              ServletResponse response, DispatcherType type, ServletMatch match, String path)
            throws IOException, ServletException {
        ServletHolder holder = match == null ? null : context.servletHolder(match.servletName());
        if (holder == null) {
            ((HttpServletResponse) response).sendError(404);
            return;
        }
        invokeHolder(context, base, request, response, type, holder, path);
    }

    static void invokeHolder(SakerServletContext context, SakerRequest base, ServletRequest request,
                             ServletResponse response, DispatcherType type, ServletHolder holder, String path)
            throws IOException, ServletException {
        List<FilterHolder> filters = context.filtersFor(type, path, holder.getName());
        boolean async = holder.asyncSupported();
        for (FilterHolder filter : filters) {
            async &= filter.asyncSupported();
        }
        boolean previous = base.isAsyncSupported();
        base.setAsyncSupported(async);
        try {
            new SakerFilterChain(filters, holder.servlet()).doFilter(request, response);
        } finally {
            base.setAsyncSupported(previous);
        }
    }
}
