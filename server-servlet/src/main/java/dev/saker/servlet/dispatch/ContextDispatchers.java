package dev.saker.servlet.dispatch;

import dev.saker.servlet.context.DispatcherFactory;
import dev.saker.servlet.context.SakerServletContext;
import dev.saker.servlet.context.ServletHolder;
import jakarta.servlet.RequestDispatcher;

/** The dispatchers of one context: {@link SakerRequestDispatcher}s by path or by servlet. */
public final class ContextDispatchers implements DispatcherFactory {

    private final SakerServletContext context;

    public ContextDispatchers(SakerServletContext context) {
        this.context = context;
    }

    @Override
    public RequestDispatcher forPath(String pathAndQuery) {
        return SakerRequestDispatcher.forPath(context, pathAndQuery);
    }

    @Override
    public RequestDispatcher named(ServletHolder holder) {
        return SakerRequestDispatcher.named(context, holder);
    }
}
