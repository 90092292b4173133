package dev.saker.websocket.endpoint;

import dev.saker.websocket.session.MessageHandlers;
import dev.saker.websocket.session.MessageKind;
import dev.saker.websocket.session.MessageSink;
import dev.saker.websocket.session.Payloads;
import dev.saker.websocket.session.SakerSession;
import jakarta.websocket.EndpointConfig;
import java.nio.ByteBuffer;

/**
 * An {@code @OnMessage} method: the kind of message it takes, whole or in parts, the type its
 * message parameter wants, and its limit ({@code maxMessageSize}, -1 for the container's).
 */
record MessageMethod(MessageKind kind, boolean partial, Class<?> messageType, AnnotatedMethod method,
        long maxMessageSize) {

    /** @return a sink that calls this method on {@code target} and sends back what it returns */
    MessageSink sink(Object target, EndpointConfig config) {
        return new MessageSink() {
            @Override
            public boolean partial() {
                return partial;
            }

            @Override
            public boolean streams() {
                return !partial && MessageKind.streams(messageType);
            }

            @Override
            public void accept(SakerSession session, Object payload, boolean last) throws Throwable {
                Object message;
                if (partial) {
                    message = messageType == byte[].class ? Payloads.fromBinary(byte[].class, (ByteBuffer) payload) : payload;
                } else {
                    message = MessageHandlers.convert(session, messageType, kind, payload);
                }
                Object result = method.invoke(target, new CallContext(session, config, null, null, message, last));
                if (result != null) {
                    sendBack(session, result);
                }
            }
        };
    }

    /** 4.7: a value an {@code @OnMessage} method returns is sent to the client as a message. */
    private static void sendBack(SakerSession session, Object result) throws Exception {
        if (result instanceof String s) {
            session.getBasicRemote().sendText(s);
        } else if (result instanceof ByteBuffer b) {
            session.getBasicRemote().sendBinary(b);
        } else if (result instanceof byte[] bytes) {
            session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
        } else {
            session.getBasicRemote().sendObject(result);
        }
    }
}
