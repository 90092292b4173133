package dev.saker.websocket.session;

import jakarta.websocket.EncodeException;
import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;

/**
 * Blocking sends: each returns once the message is written to the socket, or throws an
 * {@link IOException} past the engine's write timeout (the session is then closed with 1011).
 * Never called on the event loop: application code runs on the server's dispatcher.
 */
final class BasicRemote extends RemoteBase implements RemoteEndpoint.Basic {

    BasicRemote(SakerSession session, Sender sender) {
        super(session, sender);
    }

    @Override
    public void sendText(String text) throws IOException {
        sender.textBlocking(requireNonNull(text), true);
    }

    @Override
    public void sendBinary(ByteBuffer data) throws IOException {
        sender.binaryBlocking(requireNonNull(data), true);
    }

    @Override
    public void sendText(String partialMessage, boolean isLast) throws IOException {
        sender.textBlocking(requireNonNull(partialMessage), isLast);
    }

    @Override
    public void sendBinary(ByteBuffer partialByte, boolean isLast) throws IOException {
        sender.binaryBlocking(requireNonNull(partialByte), isLast);
    }

    @Override
    public OutputStream getSendStream() {
        return new MessageOutputStream(sender);
    }

    @Override
    public Writer getSendWriter() {
        return new MessageWriter(sender);
    }

    @Override
    public void sendObject(Object data) throws IOException, EncodeException {
        Object encoded = sender.encode(data);
        if (encoded instanceof String text) {
            sender.textBlocking(text, true);
        } else {
            sender.binaryBlocking((ByteBuffer) encoded, true);
        }
    }
}
