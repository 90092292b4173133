package dev.saker.servlet.dispatch;

import dev.saker.servlet.context.FilterHolder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.List;

/** Runs the filters of one dispatch in order, then the servlet. One instance per dispatch. */
final class SakerFilterChain implements FilterChain {

    private final List<FilterHolder> filters;
    private final Servlet servlet;
    private int position;

    SakerFilterChain(List<FilterHolder> filters, Servlet servlet) {
        this.filters = filters;
        this.servlet = servlet;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
        if (position < filters.size()) {
            FilterHolder next = filters.get(position++);
            next.filter().doFilter(request, response, this);
            return;
        }
        servlet.service(request, response);
    }
}
