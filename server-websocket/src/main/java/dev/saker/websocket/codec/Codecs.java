package dev.saker.websocket.codec;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's encoder and decoder instances, made and {@code init}ed when the session opens and
 * {@code destroy}ed when it closes (Jakarta WebSocket 2.2, 4.1.4 and 4.1.5).
 */
public final class Codecs {

    private static final Logger log = LoggerFactory.getLogger(Codecs.class);

    /** What {@link #decode} returns when no decoder of the session takes the message. */
    public static final Object NO_DECODER = new Object();

    private record Instance<T>(CodecType type, T codec) {
    }

    private final List<Instance<Decoder>> decoders;
    private final List<Instance<Encoder>> encoders;

    private Codecs(List<Instance<Decoder>> decoders, List<Instance<Encoder>> encoders) {
        this.decoders = decoders;
        this.encoders = encoders;
    }

    /** Makes and initializes the codecs; one failing to be made fails the session's opening. */
    public static Codecs create(List<CodecType> encoderTypes, List<CodecType> decoderTypes, EndpointConfig config) {
        return new Codecs(instances(decoderTypes, Decoder.class, config), instances(encoderTypes, Encoder.class, config));
    }

    private static <T> List<Instance<T>> instances(List<CodecType> types, Class<T> kind, EndpointConfig config) {
        List<Instance<T>> list = new ArrayList<>(types.size());
        for (CodecType type : types) {
            T codec;
            try {
                codec = kind.cast(type.type().getConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make " + type.type().getName(), e);
            }
            if (codec instanceof Decoder d) {
                d.init(config);
            } else {
                ((Encoder) codec).init(config);
            }
            list.add(new Instance<>(type, codec));
        }
        return list;
    }

    /**
     * Decodes a whole text ({@code String}) or binary ({@code ByteBuffer}) message into {@code target}
     * with the first decoder of that kind whose {@code willDecode} accepts it (stream decoders always do).
     *
     * @return the object, or {@link #NO_DECODER}
     */
    public Object decode(Class<?> target, Object message) throws DecodeException, IOException {
        boolean text = message instanceof String;
        for (Instance<Decoder> d : decoders) {
            if (d.type().kind().text() != text || !target.isAssignableFrom(d.type().target())) {
                continue;
            }
            switch (d.type().kind()) {
                case TEXT -> {
                    Decoder.Text<?> dec = (Decoder.Text<?>) d.codec();
                    if (dec.willDecode((String) message)) {
                        return dec.decode((String) message);
                    }
                }
                case TEXT_STREAM -> {
                    return ((Decoder.TextStream<?>) d.codec()).decode(new StringReader((String) message));
                }
                case BINARY -> {
                    Decoder.Binary<?> dec = (Decoder.Binary<?>) d.codec();
                    ByteBuffer data = (ByteBuffer) message;
                    if (dec.willDecode(data.duplicate())) {
                        return dec.decode(data);
                    }
                }
                case BINARY_STREAM -> {
                    ByteBuffer data = (ByteBuffer) message;
                    return ((Decoder.BinaryStream<?>) d.codec()).decode(
                            new ByteArrayInputStream(data.array(), data.arrayOffset() + data.position(), data.remaining()));
                }
                default -> throw new IllegalStateException();
            }
        }
        return NO_DECODER;
    }

    /** @return the encoder for {@code type} (the first whose target is assignable from it), or {@code null} */
    public Encoder encoderFor(Class<?> type) {
        for (Instance<Encoder> e : encoders) {
            if (e.type().target().isAssignableFrom(type)) {
                return e.codec();
            }
        }
        return null;
    }

    /** Destroys every codec; a failure is logged and the rest still destroyed. */
    public void destroy() {
        for (Instance<Decoder> d : decoders) {
            try {
                d.codec().destroy();
            } catch (RuntimeException e) {
                log.debug("decoder {} failed in destroy", d.type().type().getName(), e);
            }
        }
        for (Instance<Encoder> e : encoders) {
            try {
                e.codec().destroy();
            } catch (RuntimeException ex) {
                log.debug("encoder {} failed in destroy", e.type().type().getName(), ex);
            }
        }
    }
}
