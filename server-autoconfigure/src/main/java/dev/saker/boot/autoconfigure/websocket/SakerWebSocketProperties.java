package dev.saker.boot.autoconfigure.websocket;

import dev.saker.server.websocket.WebSocketConfig;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code saker.server.websocket.*}: the defaults of the Jakarta WebSocket container's sessions
 * (what {@code ServerContainer.setDefault...} would set; Spring's
 * {@code ServletServerContainerFactoryBean} may still change them), and the settings of every
 * WebFlux WebSocket session on Saker's reactive server.
 */
@ConfigurationProperties("saker.server.websocket")
public class SakerWebSocketProperties {

    /** Largest whole text message (UTF-8 bytes); past it the session closes with 1009. */
    private DataSize maxTextMessageSize = DataSize.ofKilobytes(64);

    /** Largest whole binary message; past it the session closes with 1009. */
    private DataSize maxBinaryMessageSize = DataSize.ofKilobytes(64);

    /** How long a session may go without a frame either way before it is closed with 1001; 0 for none. */
    private Duration idleTimeout = Duration.ofMinutes(5);

    /** How long a send may wait to be written (blocking sends, and the async remote's send timeout). */
    private Duration sendTimeout = Duration.ofSeconds(30);

    /** How long the server waits for the client's close frame after sending its own. */
    private Duration closeTimeout = Duration.ofSeconds(5);

    /** Accept permessage-deflate when the client offers it. */
    private boolean deflate = true;

    /** @return the engine settings sessions start from */
    public WebSocketConfig toConfig() {
        return WebSocketConfig.builder()
                .maxTextMessageSize(Math.toIntExact(maxTextMessageSize.toBytes()))
                .maxBinaryMessageSize(Math.toIntExact(maxBinaryMessageSize.toBytes()))
                .idleTimeout(idleTimeout)
                .writeTimeout(sendTimeout)
                .closeTimeout(closeTimeout)
                .deflate(deflate)
                .build();
    }

    public DataSize getMaxTextMessageSize() {
        return maxTextMessageSize;
    }

    public void setMaxTextMessageSize(DataSize maxTextMessageSize) {
        this.maxTextMessageSize = maxTextMessageSize;
    }

    public DataSize getMaxBinaryMessageSize() {
        return maxBinaryMessageSize;
    }

    public void setMaxBinaryMessageSize(DataSize maxBinaryMessageSize) {
        this.maxBinaryMessageSize = maxBinaryMessageSize;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Duration getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public boolean isDeflate() {
        return deflate;
    }

    public void setDeflate(boolean deflate) {
        this.deflate = deflate;
    }
}
