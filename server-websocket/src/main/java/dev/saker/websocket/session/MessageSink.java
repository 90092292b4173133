package dev.saker.websocket.session;

/**
 * Where one kind of incoming message goes (text, binary or pong): a {@code MessageHandler} the
 * application added, or an annotated {@code @OnMessage} method. Called on the session's serial
 * executor, never on the event loop.
 */
public interface MessageSink {

    /** @return whether it takes parts as they arrive ({@code last} marks the final one) rather than whole messages */
    boolean partial();

    /**
     * @return whether it reads the message as it arrives, through a {@code Reader} (text) or an
     *     {@code InputStream} (binary) given as the payload when the first part is there
     */
    default boolean streams() {
        return false;
    }

    /**
     * @param payload a {@code String} (text), a heap {@code ByteBuffer} (binary) or a
     *     {@code PongMessage}; the whole message unless {@link #partial()}; a {@code Reader} or
     *     {@code InputStream} if it {@link #streams()}
     * @param last whether this is the final part (always true for a whole message)
     */
    void accept(SakerSession session, Object payload, boolean last) throws Throwable;
}
