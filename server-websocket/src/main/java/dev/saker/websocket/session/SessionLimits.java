package dev.saker.websocket.session;

/**
 * A session's starting limits, from the container's defaults and the endpoint.
 *
 * @param maxTextMessageSize largest whole text message in bytes
 * @param maxBinaryMessageSize largest whole binary message in bytes
 * @param asyncSendTimeoutMillis the async remote's send timeout; zero or less for none
 */
public record SessionLimits(int maxTextMessageSize, int maxBinaryMessageSize, long asyncSendTimeoutMillis) {
}
