package dev.saker.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebSocketConfigTest {

    @Test
    void defaults() {
        WebSocketConfig config = WebSocketConfig.defaults();
        assertThat(config.maxTextMessageSize()).isEqualTo(64 * 1024);
        assertThat(config.maxBinaryMessageSize()).isEqualTo(64 * 1024);
        assertThat(config.maxFramePayload()).isEqualTo(64 * 1024);
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.partialText()).isFalse();
        assertThat(config.partialBinary()).isFalse();
        assertThat(config.autoPong()).isTrue();
        assertThat(config.deflate()).isTrue();
        assertThat(config.deflateLevel()).isEqualTo(6);
        assertThat(config.deflateClientNoContextTakeover()).isFalse();
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void rejectsValuesOutOfRange() {
        assertThatThrownBy(() -> WebSocketConfig.builder().maxTextMessageSize(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocketConfig.builder().maxFramePayload(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocketConfig.builder().idleTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocketConfig.builder().closeTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocketConfig.builder().writeTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocketConfig.builder().deflateLevel(10).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(WebSocketConfig.builder().idleTimeout(Duration.ZERO).build().idleTimeout()).isZero();
    }
}
