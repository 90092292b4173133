package dev.saker.server.websocket;

import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import java.util.List;
import java.util.Map;

/**
 * Chooses permessage-deflate (RFC 7692) from the client's offers: the first offer the server can
 * honour wins. What the server accepts:
 * <ul>
 *   <li>{@code server_no_context_takeover}: yes (the server's deflater restarts per message);</li>
 *   <li>{@code client_no_context_takeover}: when the client offers it, the server takes it up
 *       only with {@link WebSocketConfig#deflateClientNoContextTakeover()} on (then it keeps no
 *       inflate window between messages); otherwise the client keeps its context;</li>
 *   <li>{@code client_max_window_bits}: yes; offered without a value the server answers without
 *       one (the client keeps its window), offered with a value the server echoes it (the
 *       inflater takes any window up to 15 bits);</li>
 *   <li>{@code server_max_window_bits}: no, the offer is declined: the JDK's deflater always uses
 *       a 15-bit window and cannot honour a smaller one.</li>
 * </ul>
 * The inflater is bounded: one frame may inflate to at most the larger message limit, past which
 * the session closes with 1009.
 */
final class DeflateNegotiation {

    private DeflateNegotiation() {
    }

    /** The chosen extension and the value of its {@code Sec-WebSocket-Extensions} response field. */
    record Chosen(WebSocketServerExtension extension, String responseField) {
    }

    /**
     * @param offers the values of the request's {@code Sec-WebSocket-Extensions} fields
     * @return the accepted permessage-deflate, or {@code null} when off, not offered or no offer fits
     */
    static Chosen negotiate(List<String> offers, WebSocketConfig config) {
        if (!config.deflate() || offers.isEmpty()) {
            return null;
        }
        PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(
                config.deflateLevel(),
                false,
                PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE,
                true,
                config.deflateClientNoContextTakeover(),
                WebSocketExtensionFilterProvider.DEFAULT,
                config.maxMessageSize());
        for (String field : offers) {
            List<WebSocketExtensionData> parsed;
            try {
                parsed = WebSocketExtensionUtil.extractExtensions(field);
            } catch (RuntimeException malformed) {
                continue;
            }
            for (WebSocketExtensionData offer : parsed) {
                WebSocketServerExtension extension;
                try {
                    extension = handshaker.handshakeExtension(offer);
                } catch (RuntimeException badParameter) {
                    // A parameter value that is not a number, for one: decline this offer.
                    continue;
                }
                if (extension != null) {
                    return new Chosen(extension, format(extension.newReponseData()));
                }
            }
        }
        return null;
    }

    private static String format(WebSocketExtensionData data) {
        StringBuilder field = new StringBuilder(data.name());
        for (Map.Entry<String, String> parameter : data.parameters().entrySet()) {
            field.append("; ").append(parameter.getKey());
            if (parameter.getValue() != null) {
                field.append('=').append(parameter.getValue());
            }
        }
        return field.toString();
    }
}
