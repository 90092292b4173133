package dev.saker.server.http2;

import io.netty.handler.codec.http2.Http2Settings;
import java.util.Base64;

/**
 * Decodes the {@code HTTP2-Settings} field of an h2c upgrade request (RFC 7540 §3.2.1): the
 * payload of a SETTINGS frame in base64url. Each setting is checked as Netty's frame reader checks
 * one received in a SETTINGS frame (ENABLE_PUSH 0 or 1, INITIAL_WINDOW_SIZE at most 2^31-1,
 * MAX_FRAME_SIZE within 2^14..2^24-1, ...).
 */
final class H2cSettings {

    private static final int SETTING_LENGTH = 6;

    private H2cSettings() {
    }

    /**
     * @param value the field's value (base64url, with or without trailing {@code =})
     * @return the client's settings, or {@code null} when the value is not valid
     */
    static Http2Settings decode(String value) {
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException notBase64Url) {
            return null;
        }
        if (payload.length % SETTING_LENGTH != 0) {
            return null;
        }
        Http2Settings settings = new Http2Settings();
        for (int i = 0; i < payload.length; i += SETTING_LENGTH) {
            char id = (char) (((payload[i] & 0xff) << 8) | (payload[i + 1] & 0xff));
            long setting = ((payload[i + 2] & 0xffL) << 24) | ((payload[i + 3] & 0xffL) << 16)
                    | ((payload[i + 4] & 0xffL) << 8) | (payload[i + 5] & 0xffL);
            try {
                settings.put(id, Long.valueOf(setting));
            } catch (IllegalArgumentException outOfRange) {
                return null;
            }
        }
        return settings;
    }
}
