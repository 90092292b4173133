package dev.saker.websocket.codec;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the class a generic interface's type parameter is bound to by an implementing class
 * ({@code Decoder.Text<Message>}, {@code MessageHandler.Whole<String>}). Used when an endpoint,
 * encoder or handler is registered, never per message.
 */
public final class TypeArguments {

    private TypeArguments() {
    }

    /**
     * @return the class bound to the first type parameter of {@code generic} by {@code type}, or
     *         {@code null} when it cannot be told (a lambda, or a parameter left open)
     */
    public static Class<?> of(Class<?> type, Class<?> generic) {
        return find(type, generic, new HashMap<>());
    }

    private static Class<?> find(Type type, Class<?> generic, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw;
        if (type instanceof ParameterizedType p) {
            raw = (Class<?>) p.getRawType();
            TypeVariable<?>[] params = raw.getTypeParameters();
            Type[] args = p.getActualTypeArguments();
            for (int i = 0; i < params.length; i++) {
                Type arg = args[i];
                bindings.put(params[i], arg instanceof TypeVariable<?> v && bindings.containsKey(v) ? bindings.get(v) : arg);
            }
            if (raw == generic) {
                return toClass(bindings.get(params[0]));
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
            if (raw == generic) {
                return null;
            }
        } else {
            return null;
        }
        for (Type iface : raw.getGenericInterfaces()) {
            Class<?> found = find(iface, generic, bindings);
            if (found != null) {
                return found;
            }
        }
        Type superclass = raw.getGenericSuperclass();
        return superclass == null ? null : find(superclass, generic, bindings);
    }

    private static Class<?> toClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType a) {
            Class<?> component = toClass(a.getGenericComponentType());
            return component == null ? null : component.arrayType();
        }
        return null;
    }
}
