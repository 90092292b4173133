package dev.saker.websocket.session;

import dev.saker.websocket.codec.CodecType;
import dev.saker.websocket.codec.Codecs;
import dev.saker.websocket.codec.TypeArguments;
import jakarta.websocket.DecodeException;
import jakarta.websocket.MessageHandler;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A session's message handlers: at most one per kind of message (text, binary, pong), as 5.1 asks;
 * a second for the same kind is an {@link IllegalStateException}. What a handler takes (its type,
 * whole or partial) is worked out when it is added, so delivering a message looks nothing up.
 */
public final class MessageHandlers {

    private record Registered(MessageSink sink, MessageHandler handler) {
    }

    private final List<CodecType> decoders;
    private final Map<MessageKind, Registered> byKind = new EnumMap<>(MessageKind.class);

    public MessageHandlers(List<CodecType> decoders) {
        this.decoders = decoders;
    }

    /** @return the sink for {@code kind}, or {@code null} */
    public synchronized MessageSink sink(MessageKind kind) {
        Registered r = byKind.get(kind);
        return r == null ? null : r.sink();
    }

    /** Adds an {@code @OnMessage} method's sink (no {@code MessageHandler} behind it). */
    public synchronized void addSink(MessageKind kind, MessageSink sink) {
        put(kind, new Registered(sink, null));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public void add(MessageHandler handler) {
        if (handler instanceof MessageHandler.Whole whole) {
            addWhole((Class) typeOf(handler, MessageHandler.Whole.class), whole);
        } else if (handler instanceof MessageHandler.Partial partial) {
            addPartial((Class) typeOf(handler, MessageHandler.Partial.class), partial);
        } else {
            throw new IllegalArgumentException("a MessageHandler must be a MessageHandler.Whole or MessageHandler.Partial");
        }
    }

    private static Class<?> typeOf(MessageHandler handler, Class<?> generic) {
        Class<?> type = TypeArguments.of(handler.getClass(), generic);
        if (type == null) {
            throw new IllegalStateException("cannot tell the message type of " + handler.getClass().getName()
                    + " (a lambda?): use Session.addMessageHandler(Class, handler)");
        }
        return type;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> void addWhole(Class<T> type, MessageHandler.Whole<T> handler) {
        MessageKind kind = kindOf(type);
        MessageHandler.Whole raw = handler;
        MessageSink sink = new MessageSink() {
            @Override
            public boolean partial() {
                return false;
            }

            @Override
            public boolean streams() {
                return MessageKind.streams(type);
            }

            @Override
            public void accept(SakerSession session, Object payload, boolean last) throws Throwable {
                raw.onMessage(convert(session, type, kind, payload));
            }
        };
        synchronized (this) {
            put(kind, new Registered(sink, handler));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> void addPartial(Class<T> type, MessageHandler.Partial<T> handler) {
        MessageKind kind;
        if (type == String.class) {
            kind = MessageKind.TEXT;
        } else if (type == ByteBuffer.class || type == byte[].class) {
            kind = MessageKind.BINARY;
        } else {
            throw new IllegalStateException("a partial handler takes String, ByteBuffer or byte[], not " + type.getName());
        }
        MessageHandler.Partial raw = handler;
        MessageSink sink = new MessageSink() {
            @Override
            public boolean partial() {
                return true;
            }

            @Override
            public void accept(SakerSession session, Object payload, boolean last) {
                raw.onMessage(type == byte[].class ? Payloads.fromBinary(byte[].class, (ByteBuffer) payload) : payload, last);
            }
        };
        synchronized (this) {
            put(kind, new Registered(sink, handler));
        }
    }

    /** @return the kind of message a whole handler of {@code type} takes: plain, or by a decoder of the session */
    public MessageKind kindOf(Class<?> type) {
        MessageKind kind = MessageKind.of(type, decoders);
        if (kind == null) {
            throw new IllegalStateException("no decoder of the endpoint decodes " + type.getName());
        }
        return kind;
    }

    /** Converts a whole message to what a handler or parameter of {@code type} takes. */
    public static Object convert(SakerSession session, Class<?> type, MessageKind kind, Object payload) throws Exception {
        if (kind == MessageKind.PONG || payload instanceof java.io.Reader || payload instanceof java.io.InputStream) {
            return payload;
        }
        if (MessageKind.plain(type) != null) {
            return kind == MessageKind.TEXT ? Payloads.fromText(type, (String) payload)
                    : Payloads.fromBinary(type, (ByteBuffer) payload);
        }
        Codecs codecs = session.codecs();
        Object decoded = codecs.decode(type, payload);
        if (decoded == Codecs.NO_DECODER) {
            if (payload instanceof String s) {
                throw new DecodeException(s, "no decoder of the endpoint accepted the message as " + type.getName());
            }
            throw new DecodeException((ByteBuffer) payload, "no decoder of the endpoint accepted the message as "
                    + type.getName());
        }
        return decoded;
    }

    private void put(MessageKind kind, Registered registered) {
        if (byKind.containsKey(kind)) {
            throw new IllegalStateException("the session has a " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " message handler already (one per kind of message)");
        }
        byKind.put(kind, registered);
    }

    public synchronized Set<MessageHandler> handlers() {
        Set<MessageHandler> set = new HashSet<>();
        for (Registered r : byKind.values()) {
            if (r.handler() != null) {
                set.add(r.handler());
            }
        }
        return Set.copyOf(set);
    }

    public synchronized void remove(MessageHandler handler) {
        byKind.values().removeIf(r -> r.handler() == handler);
    }
}
