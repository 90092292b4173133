package dev.saker.websocket.server;

import dev.saker.websocket.codec.CodecType;
import dev.saker.websocket.endpoint.AnnotatedModel;
import dev.saker.websocket.session.MessageKind;
import dev.saker.websocket.session.SakerSession;
import java.util.List;
import java.util.Set;

/**
 * What the container worked out about an endpoint when it was added (or first upgraded to): its
 * encoders and decoders, its annotated model ({@code null} for an {@code Endpoint} subclass), and
 * its open sessions.
 */
record EndpointSetup(List<CodecType> encoders, List<CodecType> decoders, AnnotatedModel model,
        Set<SakerSession> sessions) {

    /** @return the endpoint's own limit for {@code kind} ({@code @OnMessage(maxMessageSize)}), or -1 */
    long maxMessageSize(MessageKind kind) {
        return model == null ? -1 : model.maxMessageSize(kind);
    }
}
