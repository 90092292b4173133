package dev.saker.websocket.session;

import dev.saker.server.websocket.WebSocketSession;
import dev.saker.websocket.codec.Codecs;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sending side shared by a session's basic and async remotes: the rule that a message sent in
 * parts is not interleaved with another data message (an {@link IllegalStateException}, as 5.1
 * allows), the conversion of objects through the session's encoders, and pings and pongs.
 */
final class Sender {

    private enum Partial { NONE, TEXT, BINARY }

    private final SakerSession session;
    private Partial partial = Partial.NONE;
    /** The last message a blocking send handed on without waiting: its failure is reported by the next send. */
    private volatile CompletableFuture<Void> handedOff;

    Sender(SakerSession session) {
        this.session = session;
    }

    CompletableFuture<Void> text(String text, boolean last) {
        checkPartial(Partial.TEXT, last);
        return ws().sendText(text, last);
    }

    CompletableFuture<Void> binary(ByteBuffer data, boolean last) {
        checkPartial(Partial.BINARY, last);
        return ws().sendBinary(Unpooled.wrappedBuffer(data.slice()), last);
    }

    /**
     * A blocking send. While the connection is open and takes more bytes without queueing them
     * past its high-water mark, the message is handed to the event loop and the call returns at
     * once, as a blocking socket write returns once the socket's buffer took the bytes: waiting
     * for the loop to write it would cost a thread hand-off both ways per message. Otherwise it
     * waits until the message is written, at most the write timeout. A message handed on that
     * then fails to be written (the connection broke) fails the next send of the session.
     */
    void textBlocking(String text, boolean last) throws IOException {
        checkPartial(Partial.TEXT, last);
        WebSocketSession ws = ws();
        if (handOff(ws)) {
            track(ws.sendText(text, last));
        } else {
            ws.sendTextBlocking(text, last);
        }
    }

    void binaryBlocking(ByteBuffer data, boolean last) throws IOException {
        checkPartial(Partial.BINARY, last);
        WebSocketSession ws = ws();
        if (handOff(ws)) {
            // The caller may reuse its buffer once this returns: the frame gets a copy.
            track(ws.sendBinary(Unpooled.copiedBuffer(data.duplicate()), last));
        } else {
            ws.sendBinaryBlocking(Unpooled.wrappedBuffer(data.slice()), last);
        }
    }

    /**
     * Whether a blocking send may return without waiting; throws what the last handed-on send
     * failed with (frames go out in order, so when one fails the connection is gone for the
     * later ones too).
     */
    private boolean handOff(WebSocketSession ws) throws IOException {
        CompletableFuture<Void> last = handedOff;
        if (last != null && last.isCompletedExceptionally()) {
            try {
                last.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw cause instanceof IOException io ? io : new IOException(cause);
            }
        }
        return ws.isOpen() && ws.writable();
    }

    private void track(CompletableFuture<Void> sent) {
        handedOff = sent;
    }

    /** Encodes {@code object} to a whole message: a {@code String} (text) or a {@code ByteBuffer} (binary). */
    Object encode(Object object) throws EncodeException, IOException {
        if (object == null) {
            throw new IllegalArgumentException("cannot send a null object");
        }
        Codecs codecs = session.codecs();
        Encoder encoder = codecs.encoderFor(object.getClass());
        if (encoder != null) {
            return encodeWith(encoder, object);
        }
        if (object instanceof String || object instanceof Number || object instanceof Boolean
                || object instanceof Character) {
            return object.toString();
        }
        if (object instanceof ByteBuffer b) {
            return b;
        }
        if (object instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        throw new EncodeException(object, "no encoder of the endpoint encodes " + object.getClass().getName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object encodeWith(Encoder encoder, Object object) throws EncodeException, IOException {
        if (encoder instanceof Encoder.Text text) {
            return text.encode(object);
        }
        if (encoder instanceof Encoder.Binary binary) {
            return binary.encode(object);
        }
        if (encoder instanceof Encoder.TextStream stream) {
            StringWriter out = new StringWriter();
            stream.encode(object, out);
            return out.toString();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ((Encoder.BinaryStream) encoder).encode(object, out);
        return ByteBuffer.wrap(out.toByteArray());
    }

    /** Sends a ping or pong and waits for it to be written, at most the session's write timeout. */
    void control(ByteBuffer data, boolean ping) throws IOException {
        if (data != null && data.remaining() > 125) {
            throw new IllegalArgumentException("a " + (ping ? "ping" : "pong") + " carries at most 125 bytes: "
                    + data.remaining());
        }
        ByteBuf payload = data == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(data.duplicate());
        WebSocketSession ws = ws();
        CompletableFuture<Void> sent = ping ? ws.sendPing(payload) : ws.sendPong(payload);
        await(sent, ws.config().writeTimeout().toMillis());
    }

    /** Waits for {@code sent}; a timeout closes nothing (the write goes on) but is reported. */
    static void await(CompletableFuture<Void> sent, long timeoutMillis) throws IOException {
        try {
            sent.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the message was not written within " + timeoutMillis + " ms", e);
        }
    }

    private synchronized void checkPartial(Partial kind, boolean last) {
        if (partial != Partial.NONE && partial != kind) {
            throw new IllegalStateException("a " + partial.name().toLowerCase(java.util.Locale.ROOT)
                    + " message is being sent in parts: finish it first");
        }
        partial = last ? Partial.NONE : kind;
    }

    private WebSocketSession ws() {
        return session.engineSession();
    }
}
