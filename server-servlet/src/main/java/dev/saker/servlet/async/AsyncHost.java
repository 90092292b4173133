package dev.saker.servlet.async;

import dev.saker.servlet.request.SakerRequest;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.ScheduledFuture;

/** What an async cycle needs from the container: threads, a timer, and the ways a request ends. */
public interface AsyncHost {

    /** @return the context async dispatches go to */
    ServletContext context();

    /** @return the default async timeout */
    long asyncTimeoutMillis();

    /** Runs {@code task} once after {@code delayMillis}. */
    ScheduledFuture<?> schedule(Runnable task, long delayMillis);

    /** Runs {@code task} on a container thread. */
    void execute(Runnable task);

    /** Reports a listener's failure (the cycle goes on). */
    void log(String message, Throwable error);

    /** Runs an async dispatch (on a container thread) and tells {@code async} when it returns. */
    void asyncDispatch(SakerRequest base, HttpServletRequest original, ServletRequest request, ServletResponse response,
                       String path, SakerAsyncContext async);

    /** Ends a request whose async cycle completed. */
    void completeAsync(SakerRequest base, AsyncEvent event);

    /** An async cycle failed and no listener completed or dispatched: the error ends the request. */
    void asyncFailed(SakerRequest base, ServletRequest request, ServletResponse response, Throwable failure);

    /** An async cycle timed out and no listener acted: a 500 error, then complete. */
    void asyncTimedOut(SakerRequest base, ServletRequest request, ServletResponse response, SakerAsyncContext async);
}
