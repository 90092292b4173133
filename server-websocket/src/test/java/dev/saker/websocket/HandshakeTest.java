package dev.saker.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.websocket.server.SakerServerContainer;
import dev.saker.websocket.testing.JdkClient;
import dev.saker.websocket.testing.WsClient;
import dev.saker.websocket.testing.WsServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.Principal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckExtension.class)
class HandshakeTest {

    /** Tells the client what its session knows of the handshake. */
    public static final class InfoEndpoint extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Principal user = session.getUserPrincipal();
            String info = "user=" + (user == null ? null : user.getName())
                    + " query=" + session.getQueryString()
                    + " params=" + session.getRequestParameterMap()
                    + " path=" + session.getPathParameters()
                    + " uri=" + session.getRequestURI()
                    + " protocol=" + session.getNegotiatedSubprotocol()
                    + " prop=" + session.getUserProperties().get("from-handshake")
                    + " id=" + !session.getId().isEmpty()
                    + " secure=" + session.isSecure();
            try {
                session.getBasicRemote().sendText(info);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Refuses other origins, adds a response field, and copies the query into the session's properties. */
    public static final class StrictConfigurator extends ServerEndpointConfig.Configurator {
        @Override
        public boolean checkOrigin(String origin) {
            return "https://good.example".equals(origin);
        }

        @Override
        public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            response.getHeaders().put("X-Handshake", List.of("modified"));
            sec.getUserProperties().put("from-handshake", request.getHeaders().get("origin").get(0));
        }
    }

    private WsServer server;

    @BeforeEach
    void start() {
        server = WsServer.start((container, context) -> {
            container.addEndpoint(ServerEndpointConfig.Builder.create(InfoEndpoint.class, "/info/{id}")
                    .subprotocols(List.of("v2.chat", "v1.chat")).build());
            container.addEndpoint(ServerEndpointConfig.Builder.create(InfoEndpoint.class, "/strict")
                    .configurator(new StrictConfigurator()).build());
            // A security filter's wrapper: the session takes the principal from the request it was given.
            context.addFilter("auth", (Filter) (req, resp, chain) -> chain.doFilter(
                    new HttpServletRequestWrapper((HttpServletRequest) req) {
                        @Override
                        public Principal getUserPrincipal() {
                            String user = getHeader("X-User");
                            return user == null ? null : () -> user;
                        }
                    }, resp)).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            // What Spring's StandardWebSocketUpgradeStrategy does: a fresh config per handshake.
            context.addServlet("spring-like", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    ServerContainer ws = (ServerContainer) req.getServletContext().getAttribute(ServerContainer.class.getName());
                    ServerEndpointConfig config = ServerEndpointConfig.Builder.create(InfoEndpoint.class, "/direct").build();
                    try {
                        ws.upgradeHttpToWebSocket(req, resp, config, Map.of("via", "servlet"));
                    } catch (jakarta.websocket.DeploymentException e) {
                        throw new IOException(e);
                    }
                }
            }).addMapping("/direct");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void sessionKnowsTheHandshake() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/info/7?a=1&a=2&b=x",
                "X-User: alice", "Sec-WebSocket-Protocol: v0, v1.chat, v2.chat")) {
            assertThat(client.status()).isEqualTo(101);
            assertThat(client.head()).containsIgnoringCase("Sec-WebSocket-Protocol: v1.chat")
                    .containsIgnoringCase("Sec-WebSocket-Accept: ");
            String info = client.read().text();
            assertThat(info).contains("user=alice", "query=a=1&a=2&b=x", "params={a=[1, 2], b=[x]}", "path={id=7}",
                    "uri=ws://127.0.0.1:" + server.port() + "/info/7?a=1&a=2&b=x", "protocol=v1.chat", "id=true",
                    "secure=false");
        }
    }

    @Test
    void jdkClientNegotiatesASubprotocol() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/info/1"), "v2.chat")) {
            assertThat(client.socket().getSubprotocol()).isEqualTo("v2.chat");
            assertThat(client.nextText()).contains("user=null", "protocol=v2.chat");
        }
    }

    @Test
    void originCheckRefusesWith403() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/strict", "Origin: https://evil.example")) {
            assertThat(client.status()).isEqualTo(403);
        }
        try (WsClient client = WsClient.handshake(server.port(), "/strict", "Origin: https://good.example")) {
            assertThat(client.status()).isEqualTo(101);
            assertThat(client.head()).contains("X-Handshake: modified");
            assertThat(client.read().text()).contains("prop=https://good.example");
        }
    }

    @Test
    void invalidHandshakesGet400Or426() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/info/1", "Sec-WebSocket-Version: 8")) {
            assertThat(client.status()).isEqualTo(426);
            assertThat(client.head()).containsIgnoringCase("Sec-WebSocket-Version: 13");
        }
        try (WsClient client = WsClient.handshake(server.port(), "/info/1", "Sec-WebSocket-Key: short")) {
            assertThat(client.status()).isEqualTo(400);
        }
    }

    @Test
    void otherPathsAreLeftToTheServlets() throws Exception {
        try (WsClient client = WsClient.handshake(server.port(), "/nothing-here")) {
            assertThat(client.status()).isEqualTo(404);
        }
    }

    @Test
    void upgradeFromAServletWithItsOwnConfig() throws Exception {
        try (JdkClient client = JdkClient.connect(server.url("/direct"))) {
            assertThat(client.nextText()).contains("path={via=servlet}");
        }
    }

    @Test
    void containerIsTheContextAttributeAndHasNoClientSide() {
        SakerServerContainer container = server.container();
        assertThat(container.getInstalledExtensions()).extracting(e -> e.getName()).containsExactly("permessage-deflate");
        assertThatThrownBy(() -> container.connectToServer(InfoEndpoint.class, URI.create("ws://127.0.0.1:1/")))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("client side");
    }
}
