package dev.saker.websocket.endpoint;

import dev.saker.websocket.codec.CodecType;
import dev.saker.websocket.session.MessageKind;
import dev.saker.websocket.session.Payloads;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle and message methods of an annotated endpoint class, found and checked once when
 * the endpoint is added: at most one {@code @OnOpen}, {@code @OnClose} and {@code @OnError}, at
 * most one {@code @OnMessage} per kind of message, every parameter one the method may have.
 */
public final class AnnotatedModel {

    private final Class<?> type;
    final AnnotatedMethod onOpen;
    final AnnotatedMethod onClose;
    final AnnotatedMethod onError;
    final List<MessageMethod> messages;

    private AnnotatedModel(Class<?> type, AnnotatedMethod onOpen, AnnotatedMethod onClose, AnnotatedMethod onError,
            List<MessageMethod> messages) {
        this.type = type;
        this.onOpen = onOpen;
        this.onClose = onClose;
        this.onError = onError;
        this.messages = messages;
    }

    public Class<?> type() {
        return type;
    }

    /** @return the largest {@code maxMessageSize} of the {@code @OnMessage} methods of {@code kind}, or -1 */
    public long maxMessageSize(MessageKind kind) {
        for (MessageMethod m : messages) {
            if (m.kind() == kind) {
                return m.maxMessageSize();
            }
        }
        return -1;
    }

    /**
     * @param decoders the endpoint's decoders (they decide whether a message parameter of another
     *     type is text or binary)
     * @throws DeploymentException for a class that breaks the rules
     */
    public static AnnotatedModel of(Class<?> type, List<CodecType> decoders) throws DeploymentException {
        if (!Modifier.isPublic(type.getModifiers()) || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new DeploymentException("an annotated endpoint must be a public concrete class: " + type.getName());
        }
        AnnotatedMethod onOpen = null;
        AnnotatedMethod onClose = null;
        AnnotatedMethod onError = null;
        Map<MessageKind, MessageMethod> messages = new EnumMap<>(MessageKind.class);
        for (Method method : type.getMethods()) {
            if (method.isBridge() || method.isSynthetic()) {
                continue;
            }
            if (method.isAnnotationPresent(OnOpen.class)) {
                onOpen = single(onOpen, lifecycle(method, OnOpen.class), OnOpen.class, type);
            }
            if (method.isAnnotationPresent(OnClose.class)) {
                onClose = single(onClose, lifecycle(method, OnClose.class), OnClose.class, type);
            }
            if (method.isAnnotationPresent(OnError.class)) {
                AnnotatedMethod m = lifecycle(method, OnError.class);
                boolean hasThrowable = false;
                for (Parameter p : method.getParameters()) {
                    hasThrowable |= p.getType() == Throwable.class;
                }
                if (!hasThrowable) {
                    throw new DeploymentException("@OnError method " + method + " needs a Throwable parameter");
                }
                onError = single(onError, m, OnError.class, type);
            }
            OnMessage onMessage = method.getAnnotation(OnMessage.class);
            if (onMessage != null) {
                MessageMethod m = message(method, onMessage, decoders);
                if (messages.put(m.kind(), m) != null) {
                    throw new DeploymentException(type.getName() + " has more than one @OnMessage method for "
                            + m.kind().name().toLowerCase(java.util.Locale.ROOT) + " messages");
                }
            }
        }
        return new AnnotatedModel(type, onOpen, onClose, onError, List.copyOf(messages.values()));
    }

    private static AnnotatedMethod single(AnnotatedMethod existing, AnnotatedMethod found,
            Class<? extends Annotation> kind, Class<?> type) throws DeploymentException {
        if (existing != null) {
            throw new DeploymentException(type.getName() + " has more than one @" + kind.getSimpleName() + " method");
        }
        return found;
    }

    private static AnnotatedMethod lifecycle(Method method, Class<? extends Annotation> kind) throws DeploymentException {
        Parameter[] parameters = method.getParameters();
        ParameterSource[] sources = new ParameterSource[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            sources[i] = AnnotatedMethod.common(method, parameters[i], kind);
            if (sources[i] == null) {
                throw AnnotatedMethod.unexpected(method, parameters[i]);
            }
        }
        return new AnnotatedMethod(method, sources);
    }

    private static MessageMethod message(Method method, OnMessage annotation, List<CodecType> decoders)
            throws DeploymentException {
        Parameter[] parameters = method.getParameters();
        ParameterSource[] sources = new ParameterSource[parameters.length];
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < parameters.length; i++) {
            sources[i] = AnnotatedMethod.common(method, parameters[i], OnMessage.class);
            if (sources[i] == null) {
                free.add(i);
            }
        }
        int messageIndex;
        int lastIndex = -1;
        if (free.size() == 1) {
            messageIndex = free.get(0);
        } else if (free.size() == 2 && parameters[free.get(1)].getType() == boolean.class) {
            messageIndex = free.get(0);
            lastIndex = free.get(1);
        } else if (free.size() == 2 && parameters[free.get(0)].getType() == boolean.class) {
            messageIndex = free.get(1);
            lastIndex = free.get(0);
        } else {
            throw new DeploymentException("@OnMessage method " + method + " must have one message parameter "
                    + "(and a boolean 'last' for parts) besides Session and @PathParam parameters");
        }
        Class<?> messageType = parameters[messageIndex].getType();
        boolean partial = lastIndex >= 0;
        MessageKind kind = kindOf(method, messageType, partial, decoders);
        sources[messageIndex] = CallContext::message;
        if (partial) {
            sources[lastIndex] = CallContext::last;
        }
        return new MessageMethod(kind, partial, messageType, new AnnotatedMethod(method, sources),
                annotation.maxMessageSize());
    }

    private static MessageKind kindOf(Method method, Class<?> type, boolean partial, List<CodecType> decoders)
            throws DeploymentException {
        if (partial) {
            if (type == String.class) {
                return MessageKind.TEXT;
            }
            if (type == ByteBuffer.class || type == byte[].class) {
                return MessageKind.BINARY;
            }
            throw new DeploymentException("a partial @OnMessage method takes String, ByteBuffer or byte[]: " + method);
        }
        MessageKind kind = MessageKind.of(type, decoders);
        if (kind != null) {
            return kind;
        }
        if (Payloads.fromTextSupported(type)) {
            return MessageKind.TEXT;
        }
        throw new DeploymentException("no decoder of the endpoint decodes " + type.getName() + " for " + method);
    }
}
