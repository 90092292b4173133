package dev.saker.websocket.endpoint;

import dev.saker.websocket.session.SakerSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;

/**
 * What the parameters of one call to an annotated method may be taken from.
 *
 * @param message the converted message ({@code @OnMessage}), else {@code null}
 * @param last whether the message part is the final one ({@code @OnMessage}, partial)
 */
record CallContext(SakerSession session, EndpointConfig config, CloseReason closeReason, Throwable error,
        Object message, boolean last) {

    static CallContext of(SakerSession session, EndpointConfig config) {
        return new CallContext(session, config, null, null, null, true);
    }
}
