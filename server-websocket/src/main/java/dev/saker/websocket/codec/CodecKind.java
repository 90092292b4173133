package dev.saker.websocket.codec;

import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;

/** The four shapes of encoders and decoders, and whether each is text or binary. */
public enum CodecKind {
    TEXT(true, Encoder.Text.class, Decoder.Text.class),
    TEXT_STREAM(true, Encoder.TextStream.class, Decoder.TextStream.class),
    BINARY(false, Encoder.Binary.class, Decoder.Binary.class),
    BINARY_STREAM(false, Encoder.BinaryStream.class, Decoder.BinaryStream.class);

    private final boolean text;
    private final Class<?> encoder;
    private final Class<?> decoder;

    CodecKind(boolean text, Class<?> encoder, Class<?> decoder) {
        this.text = text;
        this.encoder = encoder;
        this.decoder = decoder;
    }

    public boolean text() {
        return text;
    }

    /** @return the kind of {@code type} as an encoder ({@code encoder} true) or decoder, or {@code null} */
    static CodecKind of(Class<?> type, boolean encoder) {
        for (CodecKind kind : values()) {
            if ((encoder ? kind.encoder : kind.decoder).isAssignableFrom(type)) {
                return kind;
            }
        }
        return null;
    }

    Class<?> generic(boolean encoder) {
        return encoder ? this.encoder : decoder;
    }
}
