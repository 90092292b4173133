package dev.saker.server.http1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The keep-alive decision alone: which response closes its connection, for which reason, and its Connection field. */
class KeepAlivePolicyTest {

    private static final String GET_11 = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final String GET_10 = "GET / HTTP/1.0\r\n\r\n";

    private ServerRuntime shared;

    private KeepAlivePolicy policy(ServerConfig.Builder config) {
        shared = new ServerRuntime(config.build(), new ServerStats(), ex -> { },
                Dispatcher.create(DispatchMode.EVENT_LOOP, 1, 0));
        return new KeepAlivePolicy(new Http1Runtime(shared));
    }

    private KeepAlivePolicy policy() {
        return policy(ServerConfig.builder());
    }

    private static RequestHead head(String text) throws Exception {
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        try {
            RequestHead head = new RequestHead();
            assertThat(new HeadParser(8192, 100, false).parse(buf, head)).as("complete head").isTrue();
            return head;
        } finally {
            buf.release();
        }
    }

    @Test
    void anHttp11RequestStaysOpenWithoutAConnectionField() throws Exception {
        KeepAlivePolicy policy = policy();
        RequestHead head = head(GET_11);
        policy.decide(null, head, 1, false, true);
        assertThat(policy.closesAfterResponse()).isFalse();
        assertThat(policy.connectionField(head)).isEqualTo(KeepAlivePolicy.FIELD_NONE);
    }

    @Test
    void http10StaysOpenOnlyWhenItAsksForKeepAlive() throws Exception {
        KeepAlivePolicy policy = policy();
        RequestHead plain = head(GET_10);
        policy.decide(null, plain, 1, false, true);
        assertThat(policy.closesAfterResponse()).isTrue();
        assertThat(policy.closeReason()).isEqualTo(CloseReason.SERVER);
        assertThat(policy.connectionField(plain)).isEqualTo(KeepAlivePolicy.FIELD_CLOSE);

        policy.reset();
        RequestHead keepAlive = head("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        policy.decide(null, keepAlive, 2, false, true);
        assertThat(policy.closesAfterResponse()).isFalse();
        assertThat(policy.connectionField(keepAlive)).isEqualTo(KeepAlivePolicy.FIELD_KEEP_ALIVE);
    }

    @Test
    void aClientsConnectionCloseIsHonoured() throws Exception {
        KeepAlivePolicy policy = policy();
        policy.decide(null, head("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), 1, false, true);
        assertThat(policy.closeReason()).isEqualTo(CloseReason.SERVER);
    }

    @Test
    void aResponsesCloseTokenClosesInAnyCaseAndPosition() throws Exception {
        KeepAlivePolicy policy = policy();
        RequestHead head = head(GET_11);
        policy.decide("Upgrade, CLOSE", head, 1, false, true);
        assertThat(policy.closesAfterResponse()).isTrue();
        assertThat(policy.closeReason()).isEqualTo(CloseReason.SERVER);
        assertThat(policy.connectionField(head)).isEqualTo(KeepAlivePolicy.FIELD_CLOSE);

        policy.reset();
        policy.decide("keep-alive", head, 2, false, true);
        assertThat(policy.closesAfterResponse()).isFalse();
    }

    @Test
    void aResponseThatPromisedKeepAliveBeforeTheDrainKeepsItsConnection() throws Exception {
        KeepAlivePolicy policy = policy();
        RequestHead head = head(GET_11);
        policy.decide(null, head, 1, false, true);
        assertThat(policy.closesAfterResponse()).isFalse();
        shared.startDraining();
        // Its head went out without Connection: close: the client may send the next request at once,
        // so the connection stays and closes as an idle one of a draining server (after the grace).
        assertThat(policy.closesAfterResponse()).isFalse();
        // Decided while draining: the head says so too.
        policy.reset();
        policy.decide(null, head, 2, true, false);
        assertThat(policy.closeReason()).isEqualTo(CloseReason.SHUTDOWN);
        assertThat(policy.connectionField(head)).isEqualTo(KeepAlivePolicy.FIELD_CLOSE);
    }

    @Test
    void aClientThatHalfClosedIsAnsweredAndThenClosed() throws Exception {
        KeepAlivePolicy policy = policy(ServerConfig.builder().maxKeepAliveRequests(1));
        policy.decide(null, head(GET_11), 1, true, false);
        assertThat(policy.closeReason()).isEqualTo(CloseReason.CLIENT);
    }

    @Test
    void theKeepAliveRequestLimitClosesTheLastAllowedRequest() throws Exception {
        KeepAlivePolicy policy = policy(ServerConfig.builder().maxKeepAliveRequests(3));
        RequestHead head = head(GET_11);
        policy.decide(null, head, 2, false, true);
        assertThat(policy.closesAfterResponse()).isFalse();
        policy.reset();
        policy.decide(null, head, 3, false, false);
        assertThat(policy.closeReason()).isEqualTo(CloseReason.SERVER);
    }

    @Test
    void noLimitWhenMaxKeepAliveRequestsIsUnset() throws Exception {
        KeepAlivePolicy policy = policy();
        policy.decide(null, head(GET_11), Integer.MAX_VALUE, false, true);
        assertThat(policy.closesAfterResponse()).isFalse();
    }

    @Test
    void aBodyThatCannotBeDrainedClosesLast() throws Exception {
        KeepAlivePolicy policy = policy();
        policy.decide(null, head(GET_11), 1, false, false);
        assertThat(policy.closeReason()).isEqualTo(CloseReason.UNREAD_BODY);
    }

    @Test
    void theFirstReasonIsKeptUntilTheNextExchange() throws Exception {
        KeepAlivePolicy policy = policy();
        RequestHead head = head(GET_11);
        policy.closeAfter(CloseReason.PARSE_ERROR);
        policy.decide("close", head, 1, false, false);
        policy.closeAfter(CloseReason.HANDLER_ERROR);
        assertThat(policy.closeReason()).isEqualTo(CloseReason.PARSE_ERROR);

        policy.reset();
        assertThat(policy.closesAfterResponse()).isFalse();
        assertThat(policy.connectionField(head)).isEqualTo(KeepAlivePolicy.FIELD_NONE);
    }
}
