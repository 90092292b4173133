package dev.saker.websocket.endpoint;

import dev.saker.websocket.session.SakerSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An annotated endpoint instance as an {@link Endpoint}: opening adds its {@code @OnMessage}
 * methods as the session's handlers and then calls {@code @OnOpen}.
 */
public final class AnnotatedEndpoint extends Endpoint {

    private static final Logger log = LoggerFactory.getLogger(AnnotatedEndpoint.class);

    private final AnnotatedModel model;
    private final Object target;

    public AnnotatedEndpoint(AnnotatedModel model, Object target) {
        this.model = model;
        this.target = target;
    }

    /** @return the application's endpoint instance */
    public Object target() {
        return target;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        SakerSession s = (SakerSession) session;
        for (MessageMethod m : model.messages) {
            s.addSink(m.kind(), m.sink(target, config));
        }
        if (model.onOpen != null) {
            call(model.onOpen, CallContext.of(s, config));
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        if (model.onClose != null) {
            call(model.onClose, new CallContext((SakerSession) session, null, closeReason, null, null, true));
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        if (model.onError == null) {
            log.warn("WebSocket endpoint {} has no @OnError method; session {} failed", model.type().getName(),
                    session.getId(), error);
            return;
        }
        try {
            model.onError.invoke(target, new CallContext((SakerSession) session, null, null, error, null, true));
        } catch (Throwable t) {
            log.warn("@OnError of {} failed", model.type().getName(), t);
        }
    }

    private void call(AnnotatedMethod method, CallContext context) {
        try {
            method.invoke(target, context);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(method.method() + " failed", t);
        }
    }
}
