package dev.saker.websocket.codec;

import jakarta.websocket.DeploymentException;

/**
 * An encoder or decoder class as found at registration: its kind and the type it converts.
 *
 * @param type the encoder or decoder class
 * @param kind text, binary, or their stream forms
 * @param target the class of the objects it encodes or decodes
 */
public record CodecType(Class<?> type, CodecKind kind, Class<?> target) {

    /** @throws DeploymentException when {@code type} is no encoder (or decoder) or its target cannot be told */
    public static CodecType of(Class<?> type, boolean encoder) throws DeploymentException {
        CodecKind kind = CodecKind.of(type, encoder);
        if (kind == null) {
            throw new DeploymentException(type.getName() + " is not a " + (encoder ? "Text, TextStream, Binary or "
                    + "BinaryStream encoder" : "Text, TextStream, Binary or BinaryStream decoder"));
        }
        Class<?> target = TypeArguments.of(type, kind.generic(encoder));
        if (target == null) {
            throw new DeploymentException("cannot tell the type " + type.getName() + " converts: declare it as "
                    + kind.generic(encoder).getSimpleName() + "<YourType>");
        }
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new DeploymentException(type.getName() + " needs a public no-argument constructor", e);
        }
        return new CodecType(type, kind, target);
    }
}
