package dev.saker.websocket.session;

import dev.saker.server.websocket.WebSocketSession;
import dev.saker.servlet.util.SerialExecutor;
import dev.saker.websocket.codec.CodecType;
import dev.saker.websocket.codec.Codecs;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta WebSocket {@link Session} over one engine {@link WebSocketSession}. The endpoint's
 * callbacks and the message handlers run on a serial executor over the server's dispatcher: one at
 * a time, in the order the frames arrived, never on the event loop.
 */
public final class SakerSession implements Session {

    private static final Logger log = LoggerFactory.getLogger(SakerSession.class);

    private final String id;
    private final WebSocketContainer container;
    private final Endpoint endpoint;
    private final EndpointConfig config;
    private final HandshakeInfo info;
    private final Set<SakerSession> endpointSessions;
    private final Map<String, Object> userProperties;
    private final List<CodecType> encoderTypes;
    private final List<CodecType> decoderTypes;
    private final MessageHandlers handlers;
    private final Sender sender = new Sender(this);
    private final Inbound inbound = new Inbound(this);
    private final BasicRemote basic;
    private final AsyncRemote async;
    private volatile int maxTextMessageSize;
    private volatile int maxBinaryMessageSize;
    private volatile WebSocketSession ws;
    private volatile Codecs codecs;
    private Executor dispatcher;
    private SerialExecutor serial;

    /**
     * @param config the session's own copy of the endpoint's config: its user properties are the session's
     * @param endpointSessions the open sessions of the same endpoint ({@link #getOpenSessions()}),
     *     which this session joins when it opens and leaves when it closes
     */
    public SakerSession(String id, WebSocketContainer container, Endpoint endpoint, EndpointConfig config,
            HandshakeInfo info, Set<SakerSession> endpointSessions, List<CodecType> encoders,
            List<CodecType> decoders, SessionLimits limits) {
        this.id = id;
        this.container = container;
        this.endpoint = endpoint;
        this.config = config;
        this.info = info;
        this.endpointSessions = endpointSessions;
        this.userProperties = config.getUserProperties();
        this.encoderTypes = encoders;
        this.decoderTypes = decoders;
        this.handlers = new MessageHandlers(decoders);
        this.maxTextMessageSize = limits.maxTextMessageSize();
        this.maxBinaryMessageSize = limits.maxBinaryMessageSize();
        this.basic = new BasicRemote(this, sender);
        this.async = new AsyncRemote(this, sender, limits.asyncSendTimeoutMillis());
    }

    // ------------------------------------------------------------------ driven by SessionDriver

    /** Binds the session to its connection and the server's dispatcher; on the event loop, before anything runs. */
    void attach(WebSocketSession session, Executor executor) {
        this.ws = session;
        this.dispatcher = executor;
        this.serial = new SerialExecutor(executor);
        endpointSessions.add(this);
    }

    /** Runs {@code task} after the session's earlier callbacks, on the dispatcher. */
    void serial(Runnable task) {
        serial.execute(task);
    }

    /** Runs {@code task} on the dispatcher, outside the session's serial order (send handlers). */
    void dispatch(Runnable task) {
        dispatcher.execute(task);
    }

    Inbound inbound() {
        return inbound;
    }

    /** Makes the codecs and calls {@code onOpen}; a failure there is reported to {@code onError} and closes with 1011. */
    void open() {
        try {
            codecs = Codecs.create(encoderTypes, decoderTypes, config);
            endpoint.onOpen(this, config);
        } catch (Throwable t) {
            applicationError(t);
            closeQuietly(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "onOpen failed"));
        }
    }

    void closed(int code, String reason) {
        try {
            endpoint.onClose(this, new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (Throwable t) {
            log.debug("onClose of session {} failed", id, t);
        } finally {
            endpointSessions.remove(this);
            Codecs c = codecs;
            if (c != null) {
                c.destroy();
            }
        }
    }

    /** An exception of the application's (a handler, a decoder) or of the connection: to {@code onError}. */
    void applicationError(Throwable error) {
        try {
            endpoint.onError(this, error);
        } catch (Throwable t) {
            log.debug("onError of session {} failed", id, t);
        }
    }

    // ------------------------------------------------------------------ for the remotes and handlers

    WebSocketSession engineSession() {
        WebSocketSession s = ws;
        if (s == null) {
            throw new IllegalStateException("the session is not open yet");
        }
        return s;
    }

    Codecs codecs() {
        return codecs;
    }

    MessageHandlers handlers() {
        return handlers;
    }

    /** Closes without throwing: for the container's own closes (too big, no handler, send timeout). */
    void closeQuietly(CloseReason reason) {
        try {
            close(reason);
        } catch (IOException | RuntimeException e) {
            log.debug("closing session {} failed", id, e);
        }
    }

    // ------------------------------------------------------------------ Session

    @Override
    public WebSocketContainer getContainer() {
        return container;
    }

    @Override
    public void addMessageHandler(MessageHandler handler) {
        handlers.add(handler);
    }

    @Override
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Whole<T> handler) {
        handlers.addWhole(type, handler);
    }

    @Override
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Partial<T> handler) {
        handlers.addPartial(type, handler);
    }

    /** Adds an annotated endpoint's {@code @OnMessage} method for {@code kind}. */
    public void addSink(MessageKind kind, MessageSink sink) {
        handlers.addSink(kind, sink);
    }

    /** @return the kind of message a whole handler of {@code type} takes (plain or through a decoder) */
    public MessageKind kindOf(Class<?> type) {
        return handlers.kindOf(type);
    }

    @Override
    public Set<MessageHandler> getMessageHandlers() {
        return handlers.handlers();
    }

    @Override
    public void removeMessageHandler(MessageHandler handler) {
        handlers.remove(handler);
    }

    @Override
    public String getProtocolVersion() {
        return "13";
    }

    @Override
    public String getNegotiatedSubprotocol() {
        return info.subprotocol();
    }

    @Override
    public List<Extension> getNegotiatedExtensions() {
        return info.extensions();
    }

    @Override
    public boolean isSecure() {
        return info.secure();
    }

    @Override
    public boolean isOpen() {
        WebSocketSession s = ws;
        return s != null && s.isOpen();
    }

    @Override
    public long getMaxIdleTimeout() {
        return engineSession().idleTimeout().toMillis();
    }

    /** Zero or less: no idle timeout. A session idle past it is closed with 1001. */
    @Override
    public void setMaxIdleTimeout(long milliseconds) {
        engineSession().idleTimeout(milliseconds <= 0 ? Duration.ZERO : Duration.ofMillis(milliseconds));
    }

    /**
     * The largest whole binary message this session gathers; one frame is still bounded by the
     * limit in force at the handshake (the engine's frame limit).
     */
    @Override
    public void setMaxBinaryMessageBufferSize(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("the limit must be positive: " + length);
        }
        this.maxBinaryMessageSize = length;
    }

    @Override
    public int getMaxBinaryMessageBufferSize() {
        return maxBinaryMessageSize;
    }

    /** As {@link #setMaxBinaryMessageBufferSize} for text (counted in UTF-8 bytes). */
    @Override
    public void setMaxTextMessageBufferSize(int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("the limit must be positive: " + length);
        }
        this.maxTextMessageSize = length;
    }

    @Override
    public int getMaxTextMessageBufferSize() {
        return maxTextMessageSize;
    }

    @Override
    public RemoteEndpoint.Async getAsyncRemote() {
        return async;
    }

    @Override
    public RemoteEndpoint.Basic getBasicRemote() {
        return basic;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void close() throws IOException {
        close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
    }

    /**
     * Starts the close handshake with {@code closeReason}'s code and phrase. 1006 (closed
     * abnormally) closes the connection without a close frame; 1005 (no status) sends a close frame
     * without a code's meaning, as 1000. No effect once the session is closing.
     */
    @Override
    public void close(CloseReason closeReason) throws IOException {
        WebSocketSession s = engineSession();
        int code = closeReason.getCloseCode().getCode();
        String phrase = closeReason.getReasonPhrase() == null ? "" : closeReason.getReasonPhrase();
        if (code == CloseReason.CloseCodes.CLOSED_ABNORMALLY.getCode()) {
            s.abort();
        } else if (code == CloseReason.CloseCodes.NO_STATUS_CODE.getCode()) {
            s.close(CloseReason.CloseCodes.NORMAL_CLOSURE.getCode(), phrase);
        } else {
            s.close(code, phrase);
        }
    }

    @Override
    public URI getRequestURI() {
        return info.requestURI();
    }

    @Override
    public Map<String, List<String>> getRequestParameterMap() {
        return info.parameters();
    }

    @Override
    public String getQueryString() {
        return info.queryString();
    }

    @Override
    public Map<String, String> getPathParameters() {
        return info.pathParameters();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return userProperties;
    }

    @Override
    public Principal getUserPrincipal() {
        return info.principal();
    }

    @Override
    public Set<Session> getOpenSessions() {
        Set<Session> open = new HashSet<>();
        for (SakerSession s : endpointSessions) {
            if (s.isOpen()) {
                open.add(s);
            }
        }
        return Set.copyOf(open);
    }

    @Override
    public String toString() {
        return "SakerSession[" + id + " " + info.requestURI() + "]";
    }
}
