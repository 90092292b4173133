package dev.saker.server.observe;

/** Why a connection was closed. */
public enum CloseReason {
    /** The client closed it (or half-closed it with nothing left to answer). */
    CLIENT,
    /** The client reset it or an I/O error broke it. */
    RESET,
    /** The server closed it after a response: {@code Connection: close}, HTTP/1.0, or the keep-alive request limit. */
    SERVER,
    /** A malformed request: the stream can no longer be trusted. */
    PARSE_ERROR,
    /** Idle between requests past the keep-alive timeout. */
    KEEP_ALIVE_TIMEOUT,
    /**
     * A connection switched to another protocol ({@code 101}) saw no byte either way past its idle
     * timeout, or a WebSocket session no frame either way.
     */
    IDLE_TIMEOUT,
    /** The request head did not arrive whole before its deadline. */
    HEAD_TIMEOUT,
    /** The request body stalled while a handler was reading it. */
    BODY_READ_TIMEOUT,
    /** The client did not read the response before the write timeout. */
    WRITE_TIMEOUT,
    /** The unread request body was larger than the drain limit. */
    UNREAD_BODY,
    /** A handler failed after the response was committed. */
    HANDLER_ERROR,
    /** Cleartext or other non-TLS bytes arrived on a TLS listener. */
    NOT_TLS,
    /** The TLS handshake failed (refused by the engine, or a ClientHello over its size bound). */
    TLS_HANDSHAKE_FAILED,
    /** The TLS handshake did not finish within its timeout, counted from accept. */
    TLS_HANDSHAKE_TIMEOUT,
    /** The WebSocket peer did not answer the server's close frame within the close timeout. */
    CLOSE_TIMEOUT,
    /**
     * The client broke the WebSocket protocol (the server sent close 1002, 1007 or 1009 and
     * closed), or the HTTP/2 protocol: the server sent GOAWAY with a connection error code
     * (PROTOCOL_ERROR, FLOW_CONTROL_ERROR, FRAME_SIZE_ERROR, COMPRESSION_ERROR ...) and closed.
     */
    PROTOCOL_ERROR,
    /**
     * The client passed an HTTP/2 flood limit (Rapid Reset, MadeYouReset, floods of empty DATA,
     * CONTINUATION or control frames): the server sent GOAWAY(ENHANCE_YOUR_CALM) and closed.
     */
    FLOOD,
    /** The server was stopping. */
    SHUTDOWN
}
