package dev.saker.websocket.server;

import dev.saker.server.connection.LoopContext;
import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.connection.UpgradedProtocol;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.websocket.session.SessionDriver;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The engine's WebSocket protocol, told where the session's application code runs before it
 * opens: the server's dispatcher (the worker pool or virtual threads that run servlet requests).
 * When the server runs handlers on the event loop, or its worker pool is full, the code runs on
 * the Servlet container's own threads instead: application code may block, the event loop must not.
 * From the loop (where the engine's callbacks come from) the work is queued with the loop's
 * deferred dispatch, so the messages of one read batch, over all its sessions, wake one worker
 * rather than one per session (each wake-up can preempt the loop on a busy core).
 */
final class DispatchingProtocol implements UpgradedProtocol {

    private final UpgradedProtocol delegate;
    private final SessionDriver driver;
    private final Executor fallback;

    DispatchingProtocol(UpgradedProtocol delegate, SessionDriver driver, Executor fallback) {
        this.delegate = delegate;
        this.driver = driver;
        this.fallback = fallback;
    }

    @Override
    public void install(Channel channel, ServerRuntime runtime, LoopContext loop, ByteBuf rest) {
        Dispatcher dispatcher = runtime.dispatcher();
        if (dispatcher.inline()) {
            driver.executor(fallback);
        } else {
            driver.executor(task -> {
                try {
                    if (loop.loop().inEventLoop()) {
                        loop.dispatch(task);
                    } else {
                        dispatcher.execute(task);
                    }
                } catch (RejectedExecutionException full) {
                    fallback.execute(task);
                }
            });
        }
        delegate.install(channel, runtime, loop, rest);
    }
}
