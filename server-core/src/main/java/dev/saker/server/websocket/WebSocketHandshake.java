package dev.saker.server.websocket;

import dev.saker.server.connection.UpgradedProtocol;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.ResponseHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The server's side of the opening handshake (RFC 6455 §4.2) on an HTTP/1.1 exchange. Checks the
 * request, and then either {@link #reject() rejects} it with the status the RFC asks for (400, or
 * 426 with {@code Sec-WebSocket-Version: 13}) or {@link #accept accepts} it: the 101 response's
 * fields are set ({@code Sec-WebSocket-Accept}, the chosen subprotocol, permessage-deflate) and the
 * protocol to pass to {@link HttpExchange#upgrade} is returned.
 *
 * <pre>{@code
 * WebSocketHandshake handshake = WebSocketHandshake.of(exchange);
 * if (!handshake.valid()) {
 *     handshake.reject();
 * } else {
 *     exchange.upgrade(handshake.accept(null, WebSocketConfig.defaults(), new EchoHandler()));
 * }
 * }</pre>
 */
public final class WebSocketHandshake {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final HttpExchange exchange;
    private final int failureStatus;
    private final String failure;
    private final String key;
    private final List<String> subprotocols;
    private final List<String> extensionOffers;

    private WebSocketHandshake(HttpExchange exchange, int failureStatus, String failure, String key,
            List<String> subprotocols, List<String> extensionOffers) {
        this.exchange = exchange;
        this.failureStatus = failureStatus;
        this.failure = failure;
        this.key = key;
        this.subprotocols = subprotocols;
        this.extensionOffers = extensionOffers;
    }

    /** @return whether {@code exchange} asks for a WebSocket ({@code Upgrade: websocket}), valid or not */
    public static boolean requested(HttpExchange exchange) {
        return hasToken(exchange.requestHeaders().getAll("Upgrade"), "websocket");
    }

    /** Checks the opening handshake of {@code exchange}. */
    public static WebSocketHandshake of(HttpExchange exchange) {
        HttpHeaders headers = exchange.requestHeaders();
        List<String> subprotocols = tokens(headers.getAll("Sec-WebSocket-Protocol"));
        List<String> offers = headers.getAll("Sec-WebSocket-Extensions");
        String problem = null;
        int status = 400;
        if (!"GET".equals(exchange.method())) {
            problem = "a WebSocket handshake must be a GET";
        } else if (!"HTTP/1.1".equals(exchange.protocol())) {
            problem = "a WebSocket handshake needs HTTP/1.1";
        } else if (!hasToken(headers.getAll("Upgrade"), "websocket")) {
            problem = "missing Upgrade: websocket";
        } else if (!hasToken(headers.getAll("Connection"), "upgrade")) {
            problem = "missing Connection: upgrade";
        } else if (!"13".equals(single(headers.getAll("Sec-WebSocket-Version")))) {
            problem = "unsupported Sec-WebSocket-Version";
            status = 426;
        } else if (!validKey(single(headers.getAll("Sec-WebSocket-Key")))) {
            problem = "invalid Sec-WebSocket-Key";
        }
        String key = problem == null ? single(headers.getAll("Sec-WebSocket-Key")).trim() : null;
        return new WebSocketHandshake(exchange, problem == null ? 0 : status, problem, key, subprotocols,
                offers == null ? List.of() : offers);
    }

    /** @return whether the request is a valid opening handshake */
    public boolean valid() {
        return failure == null;
    }

    /** @return the status a rejected handshake gets (400 or 426), or 0 when valid */
    public int failureStatus() {
        return failureStatus;
    }

    /** @return why the handshake is invalid, or {@code null} */
    public String failure() {
        return failure;
    }

    /** @return the subprotocols the client offered, in its order of preference */
    public List<String> requestedSubprotocols() {
        return subprotocols;
    }

    /** @return the values of the request's {@code Sec-WebSocket-Extensions} fields */
    public List<String> requestedExtensions() {
        return extensionOffers;
    }

    /**
     * Answers an invalid handshake: 426 with {@code Sec-WebSocket-Version: 13} for a version the
     * server does not speak, else 400.
     *
     * @throws IllegalStateException when the handshake is valid
     */
    public void reject() {
        if (valid()) {
            throw new IllegalStateException("the handshake is valid");
        }
        if (failureStatus == 426) {
            exchange.responseHeaders().set("Sec-WebSocket-Version", "13");
        }
        exchange.status(failureStatus);
        exchange.send(failure);
    }

    /**
     * Accepts the handshake: sets the 101 response's fields and returns the protocol to hand to
     * {@link HttpExchange#upgrade}.
     *
     * @param subprotocol one of {@link #requestedSubprotocols()}, or {@code null} for none
     * @throws IllegalStateException when the handshake is invalid
     * @throws IllegalArgumentException when the client did not offer {@code subprotocol}
     */
    public UpgradedProtocol accept(String subprotocol, WebSocketConfig config, WebSocketHandler handler) {
        if (!valid()) {
            throw new IllegalStateException("invalid WebSocket handshake: " + failure);
        }
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        if (subprotocol != null && !subprotocols.contains(subprotocol)) {
            throw new IllegalArgumentException("the client did not offer subprotocol " + subprotocol);
        }
        ResponseHeaders response = exchange.responseHeaders();
        response.set("Upgrade", "websocket");
        response.set("Connection", "Upgrade");
        response.set("Sec-WebSocket-Accept", acceptKey(key));
        if (subprotocol != null) {
            response.set("Sec-WebSocket-Protocol", subprotocol);
        }
        DeflateNegotiation.Chosen deflate = DeflateNegotiation.negotiate(extensionOffers, config);
        List<String> extensions = List.of();
        if (deflate != null) {
            response.set("Sec-WebSocket-Extensions", deflate.responseField());
            extensions = List.of(deflate.responseField());
        }
        return new WebSocketProtocol(handler, config, subprotocol, deflate == null ? null : deflate.extension(),
                extensions, exchange.path());
    }

    /** {@link #accept} and {@link HttpExchange#upgrade} in one call. */
    public void upgrade(String subprotocol, WebSocketConfig config, WebSocketHandler handler) {
        exchange.upgrade(accept(subprotocol, config, handler));
    }

    /** @return the {@code Sec-WebSocket-Accept} value for {@code key} (RFC 6455 §4.2.2) */
    static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        String trimmed = key.trim();
        if (trimmed.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(trimmed).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** @return the one value of a field that must appear once, or {@code null} */
    private static String single(List<String> values) {
        return values == null || values.size() != 1 ? null : values.get(0).trim();
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String t : tokens(values)) {
            if (t.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> tokens(List<String> values) {
        if (values == null || values.isEmpty()) {
            return Collections.emptyList();
        }
        List<String> tokens = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                String t = part.trim();
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }

    @Override
    public String toString() {
        return valid() ? "WebSocketHandshake[valid]"
                : "WebSocketHandshake[" + failureStatus + " " + failure.toLowerCase(Locale.ROOT) + "]";
    }
}
