package dev.saker.websocket.session;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Function;

/**
 * Converts a whole message to the type a handler or {@code @OnMessage} parameter asks for:
 * text to {@code String}, {@code Reader} or a primitive (or its box); binary to {@code ByteBuffer},
 * {@code byte[]} or {@code InputStream}.
 */
public final class Payloads {

    private static final Map<Class<?>, Function<String, Object>> PARSERS = Map.ofEntries(
            Map.entry(String.class, s -> s),
            Map.entry(boolean.class, Boolean::valueOf), Map.entry(Boolean.class, Boolean::valueOf),
            Map.entry(byte.class, Byte::valueOf), Map.entry(Byte.class, Byte::valueOf),
            Map.entry(short.class, Short::valueOf), Map.entry(Short.class, Short::valueOf),
            Map.entry(int.class, Integer::valueOf), Map.entry(Integer.class, Integer::valueOf),
            Map.entry(long.class, Long::valueOf), Map.entry(Long.class, Long::valueOf),
            Map.entry(float.class, Float::valueOf), Map.entry(Float.class, Float::valueOf),
            Map.entry(double.class, Double::valueOf), Map.entry(Double.class, Double::valueOf),
            Map.entry(char.class, Payloads::character), Map.entry(Character.class, Payloads::character));

    private Payloads() {
    }

    /** @return whether {@code type} is {@code String}, a primitive or a primitive's box */
    public static boolean isPrimitiveLike(Class<?> type) {
        return type != String.class && PARSERS.containsKey(type);
    }

    /** @return whether {@link #fromText} converts to {@code type} */
    public static boolean fromTextSupported(Class<?> type) {
        return PARSERS.containsKey(type);
    }

    /**
     * @throws IllegalArgumentException when the text is no value of {@code type} (a number that
     *         does not parse, a char from more than one character)
     */
    public static Object fromText(Class<?> type, String text) {
        if (type == java.io.Reader.class) {
            return new StringReader(text);
        }
        return PARSERS.get(type).apply(text);
    }

    /** @return {@code data} (a heap buffer) as {@code type}: ByteBuffer, byte[] or InputStream */
    public static Object fromBinary(Class<?> type, ByteBuffer data) {
        if (type == ByteBuffer.class) {
            return data;
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return type == byte[].class ? bytes : new ByteArrayInputStream(bytes);
    }

    private static Object character(String s) {
        if (s.length() != 1) {
            throw new IllegalArgumentException("not one character: " + s.length() + " characters");
        }
        return s.charAt(0);
    }
}
