package dev.saker.server.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.connection.UpgradedProtocol;
import dev.saker.server.http.HttpExchange;
import dev.saker.server.http.MutableHeaders;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The opening handshake of RFC 6455 §4.2: checks, statuses and the 101's fields. */
class HandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** An exchange with just what the handshake reads and writes. */
    private static final class FakeExchange {
        final MutableHeaders request = new MutableHeaders();
        final MutableHeaders response = new MutableHeaders();
        String method = "GET";
        String protocol = "HTTP/1.1";
        int status = 200;
        String body;
        UpgradedProtocol upgradedTo;

        HttpExchange proxy() {
            return (HttpExchange) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpExchange.class},
                    (p, m, args) -> switch (m.getName()) {
                        case "method" -> method;
                        case "protocol" -> protocol;
                        case "path" -> "/chat";
                        case "requestHeaders" -> request;
                        case "responseHeaders" -> response;
                        case "status" -> {
                            if (args == null) {
                                yield status;
                            }
                            status = (Integer) args[0];
                            yield p;
                        }
                        case "send" -> {
                            body = (String) args[0];
                            yield null;
                        }
                        case "upgrade" -> {
                            upgradedTo = (UpgradedProtocol) args[0];
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    private static FakeExchange request(Consumer<MutableHeaders> change) {
        FakeExchange exchange = new FakeExchange();
        exchange.request.set("Host", "localhost");
        exchange.request.set("Upgrade", "websocket");
        exchange.request.set("Connection", "keep-alive, Upgrade");
        exchange.request.set("Sec-WebSocket-Version", "13");
        exchange.request.set("Sec-WebSocket-Key", KEY);
        change.accept(exchange.request);
        return exchange;
    }

    @Test
    void acceptComputesTheAcceptKeyAndSetsThe101Fields() {
        FakeExchange exchange = request(h -> h.set("Sec-WebSocket-Protocol", "v10.stomp, v12.stomp")
                .set("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"));
        WebSocketHandshake handshake = WebSocketHandshake.of(exchange.proxy());
        assertThat(handshake.valid()).isTrue();
        assertThat(handshake.requestedSubprotocols()).containsExactly("v10.stomp", "v12.stomp");
        handshake.upgrade("v12.stomp", WebSocketConfig.defaults(), new WebSocketHandler() { });
        assertThat(exchange.upgradedTo).isInstanceOf(WebSocketProtocol.class);
        // The example of RFC 6455 §1.3.
        assertThat(exchange.response.get("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(exchange.response.get("Upgrade")).isEqualTo("websocket");
        assertThat(exchange.response.get("Connection")).isEqualTo("Upgrade");
        assertThat(exchange.response.get("Sec-WebSocket-Protocol")).isEqualTo("v12.stomp");
        assertThat(exchange.response.get("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate");
    }

    @Test
    void noSubprotocolAndNoDeflateWhenOff() {
        FakeExchange exchange = request(h -> h.set("Sec-WebSocket-Extensions", "permessage-deflate"));
        WebSocketHandshake.of(exchange.proxy()).accept(null, WebSocketConfig.builder().deflate(false).build(),
                new WebSocketHandler() { });
        assertThat(exchange.response.get("Sec-WebSocket-Protocol")).isNull();
        assertThat(exchange.response.get("Sec-WebSocket-Extensions")).isNull();
    }

    @Test
    void subprotocolTheClientDidNotOfferIsRefused() {
        WebSocketHandshake handshake = WebSocketHandshake.of(request(h -> h.set("Sec-WebSocket-Protocol", "a")).proxy());
        assertThatThrownBy(() -> handshake.accept("b", WebSocketConfig.defaults(), new WebSocketHandler() { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrongVersionGets426WithTheVersionTheServerSpeaks() {
        FakeExchange exchange = request(h -> h.set("Sec-WebSocket-Version", "8"));
        WebSocketHandshake handshake = WebSocketHandshake.of(exchange.proxy());
        assertThat(handshake.valid()).isFalse();
        handshake.reject();
        assertThat(exchange.status).isEqualTo(426);
        assertThat(exchange.response.get("Sec-WebSocket-Version")).isEqualTo("13");
        assertThat(exchange.upgradedTo).isNull();
    }

    @Test
    void missingVersionGets426() {
        assertThat(WebSocketHandshake.of(request(h -> h.remove("Sec-WebSocket-Version")).proxy()).failureStatus())
                .isEqualTo(426);
    }

    @Test
    void badRequestsGet400() {
        assertThat(status(request(h -> h.remove("Sec-WebSocket-Key")))).isEqualTo(400);
        assertThat(status(request(h -> h.set("Sec-WebSocket-Key", "c2hvcnQ=")))).isEqualTo(400);
        assertThat(status(request(h -> h.set("Sec-WebSocket-Key", "not base64 at all!!!!!==")))).isEqualTo(400);
        assertThat(status(request(h -> h.add("Sec-WebSocket-Key", KEY)))).isEqualTo(400);
        assertThat(status(request(h -> h.set("Upgrade", "h2c")))).isEqualTo(400);
        assertThat(status(request(h -> h.set("Connection", "keep-alive")))).isEqualTo(400);
        FakeExchange post = request(h -> { });
        post.method = "POST";
        assertThat(status(post)).isEqualTo(400);
        FakeExchange http10 = request(h -> { });
        http10.protocol = "HTTP/1.0";
        assertThat(status(http10)).isEqualTo(400);
    }

    @Test
    void tokensAreCaseInsensitiveAndListsAreSplit() {
        assertThat(WebSocketHandshake.of(request(h -> h.set("Upgrade", "WebSocket").set("Connection", "UPGRADE")).proxy())
                .valid()).isTrue();
        assertThat(WebSocketHandshake.requested(request(h -> { }).proxy())).isTrue();
    }

    @Test
    void acceptingAnInvalidHandshakeOrRejectingAValidOneFails() {
        WebSocketHandshake invalid = WebSocketHandshake.of(request(h -> h.remove("Sec-WebSocket-Key")).proxy());
        assertThatThrownBy(() -> invalid.accept(null, WebSocketConfig.defaults(), new WebSocketHandler() { }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> WebSocketHandshake.of(request(h -> { }).proxy()).reject())
                .isInstanceOf(IllegalStateException.class);
    }

    private static int status(FakeExchange exchange) {
        WebSocketHandshake handshake = WebSocketHandshake.of(exchange.proxy());
        assertThat(handshake.valid()).isFalse();
        handshake.reject();
        return exchange.status;
    }
}
