package dev.saker.server.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and choices of one WebSocket session, fixed at the handshake.
 *
 * @param maxTextMessageSize the largest text message in bytes (UTF-8, after decompression), whole
 *     after reassembly; past it the session closes with 1009. With partial delivery, the largest
 *     fragment handed to the application. Default 64 KiB.
 * @param maxBinaryMessageSize the same for binary messages. Default 64 KiB.
 * @param maxFramePayload the largest frame payload accepted on the wire (compressed, before
 *     reassembly); past it the session closes with 1009. Default 64 KiB.
 * @param idleTimeout how long a session may go without a frame in either direction before the
 *     server closes it with 1001; {@link Duration#ZERO} for none. Default 5 minutes.
 * @param closeTimeout how long the server waits for the peer's close frame after sending its own
 *     before it closes the connection. Default 5 seconds.
 * @param writeTimeout how long a blocking send waits for the message to be written. Default 30 s.
 * @param partialText deliver text messages frame by frame as they arrive instead of whole
 * @param partialBinary deliver binary messages frame by frame as they arrive instead of whole
 * @param autoPong answer every ping with a pong carrying its payload (the application is still
 *     told of the ping); when false the application answers. Default true.
 * @param deflate accept permessage-deflate (RFC 7692) when the client offers it. Default true.
 * @param deflateLevel the compression level of outgoing messages, 0 to 9. Default 6.
 * @param deflateClientNoContextTakeover take up a client's offer of {@code client_no_context_takeover}
 *     (each client message compressed on its own), so the server keeps no inflate window between
 *     messages. Default false.
 */
public record WebSocketConfig(
        int maxTextMessageSize,
        int maxBinaryMessageSize,
        int maxFramePayload,
        Duration idleTimeout,
        Duration closeTimeout,
        Duration writeTimeout,
        boolean partialText,
        boolean partialBinary,
        boolean autoPong,
        boolean deflate,
        int deflateLevel,
        boolean deflateClientNoContextTakeover) {

    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

    public WebSocketConfig {
        positive(maxTextMessageSize, "maxTextMessageSize");
        positive(maxBinaryMessageSize, "maxBinaryMessageSize");
        positive(maxFramePayload, "maxFramePayload");
        notNegative(idleTimeout, "idleTimeout");
        notNegative(closeTimeout, "closeTimeout");
        notNegative(writeTimeout, "writeTimeout");
        if (closeTimeout.isZero()) {
            throw new IllegalArgumentException("closeTimeout must be positive");
        }
        if (writeTimeout.isZero()) {
            throw new IllegalArgumentException("writeTimeout must be positive");
        }
        if (deflateLevel < 0 || deflateLevel > 9) {
            throw new IllegalArgumentException("deflateLevel must be 0..9: " + deflateLevel);
        }
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void notNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    /** @return the defaults */
    public static WebSocketConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxTextMessageSize = maxTextMessageSize;
        b.maxBinaryMessageSize = maxBinaryMessageSize;
        b.maxFramePayload = maxFramePayload;
        b.idleTimeout = idleTimeout;
        b.closeTimeout = closeTimeout;
        b.writeTimeout = writeTimeout;
        b.partialText = partialText;
        b.partialBinary = partialBinary;
        b.autoPong = autoPong;
        b.deflate = deflate;
        b.deflateLevel = deflateLevel;
        b.deflateClientNoContextTakeover = deflateClientNoContextTakeover;
        return b;
    }

    /** The larger of the two message limits: what one inflated frame may grow to. */
    int maxMessageSize() {
        return Math.max(maxTextMessageSize, maxBinaryMessageSize);
    }

    /** Builds a {@link WebSocketConfig}; every setting starts at its default. */
    public static final class Builder {
        private int maxTextMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxBinaryMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxFramePayload = DEFAULT_MAX_MESSAGE_SIZE;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private boolean partialText;
        private boolean partialBinary;
        private boolean autoPong = true;
        private boolean deflate = true;
        private int deflateLevel = 6;
        private boolean deflateClientNoContextTakeover;

        private Builder() {
        }

        public Builder maxTextMessageSize(int bytes) { this.maxTextMessageSize = bytes; return this; }
        public Builder maxBinaryMessageSize(int bytes) { this.maxBinaryMessageSize = bytes; return this; }
        public Builder maxFramePayload(int bytes) { this.maxFramePayload = bytes; return this; }
        public Builder idleTimeout(Duration timeout) { this.idleTimeout = timeout; return this; }
        public Builder closeTimeout(Duration timeout) { this.closeTimeout = timeout; return this; }
        public Builder writeTimeout(Duration timeout) { this.writeTimeout = timeout; return this; }
        public Builder partialText(boolean partial) { this.partialText = partial; return this; }
        public Builder partialBinary(boolean partial) { this.partialBinary = partial; return this; }
        public Builder autoPong(boolean autoPong) { this.autoPong = autoPong; return this; }
        public Builder deflate(boolean deflate) { this.deflate = deflate; return this; }
        public Builder deflateLevel(int level) { this.deflateLevel = level; return this; }
        public Builder deflateClientNoContextTakeover(boolean noContext) {
            this.deflateClientNoContextTakeover = noContext;
            return this;
        }

        public WebSocketConfig build() {
            return new WebSocketConfig(maxTextMessageSize, maxBinaryMessageSize, maxFramePayload, idleTimeout,
                    closeTimeout, writeTimeout, partialText, partialBinary, autoPong, deflate, deflateLevel,
                    deflateClientNoContextTakeover);
        }
    }
}
