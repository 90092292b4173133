package dev.saker.servlet.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import dev.saker.servlet.ServletContainerConfig;
import dev.saker.servlet.ServletServer;
import dev.saker.servlet.request.SakerRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user an authenticating filter's wrapper reports (as Spring Security's does) reaches the
 * engine exchange, on the first dispatch and kept through async and error dispatches.
 */
class RemoteUserFilterTest {

    private ServletServer server;

    @BeforeEach
    void start() {
        server = ServletServer.start("", ServletContainerConfig.defaults(), ctx -> {
            // Authenticates the REQUEST dispatch only, from a header, by wrapping the request.
            Filter authenticating = (request, response, chain) -> {
                String user = ((HttpServletRequest) request).getHeader("X-User");
                chain.doFilter(user == null ? request : new HttpServletRequestWrapper((HttpServletRequest) request) {
                    @Override
                    public String getRemoteUser() {
                        return user;
                    }
                }, response);
            };
            FilterRegistration.Dynamic auth = ctx.addFilter("auth", authenticating);
            auth.setAsyncSupported(true);
            auth.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            FilterRegistration.Dynamic remoteUser = ctx.addFilter(RemoteUserFilter.NAME, new RemoteUserFilter());
            remoteUser.setAsyncSupported(true);
            remoteUser.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR),
                    true, "/*");
            ServletRegistration.Dynamic servlet = ctx.addServlet("user", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    switch (req.getServletPath()) {
                        case "/async" -> {
                            AsyncContext async = req.startAsync();
                            async.start(() -> {
                                try {
                                    async.getResponse().getWriter().print("async " + exchangeUser(req));
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                                async.complete();
                            });
                        }
                        case "/fail" -> resp.sendError(503);
                        default -> resp.getWriter().print(req.getDispatcherType() + " " + exchangeUser(req));
                    }
                }
            });
            servlet.setAsyncSupported(true);
            servlet.addMapping("/plain", "/async", "/fail", "/error");
        }, container -> container.errorPages().addForStatus(503, "/error"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theWrappersUserIsNamedOnTheExchange() throws Exception {
        assertThat(get("/plain", "X-User: alice\r\n")).isEqualTo("REQUEST alice");
    }

    @Test
    void noUserNamesNone() throws Exception {
        assertThat(get("/plain", "")).isEqualTo("REQUEST null");
    }

    @Test
    void anAsyncRequestKeepsTheUserOfItsFirstDispatch() throws Exception {
        assertThat(get("/async", "X-User: bob\r\n")).isEqualTo("async bob");
    }

    @Test
    void anErrorDispatchThatKnowsNoUserKeepsTheFirstDispatchsUser() throws Exception {
        assertThat(get("/fail", "X-User: carol\r\n")).isEqualTo("ERROR carol");
    }

    private String get(String path, String fields) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n");
            return client.read().bodyText();
        }
    }

    private static String exchangeUser(ServletRequest request) {
        ServletRequest current = request;
        while (current instanceof ServletRequestWrapper wrapper) {
            current = wrapper.getRequest();
        }
        return ((SakerRequest) current).exchange().remoteUser();
    }
}
