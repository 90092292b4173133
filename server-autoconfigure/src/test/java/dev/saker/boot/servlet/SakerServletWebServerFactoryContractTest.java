package dev.saker.boot.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.saker.boot.SakerWebServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.Loopback;
import dev.saker.server.testing.RawClient;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.WebServerException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;

/**
 * Lifecycle, binding and start-up behaviours of Boot's servlet web server factory contract
 * ({@code AbstractServletWebServerFactoryTests}), on real loopback sockets.
 */
@ExtendWith(OutputCaptureExtension.class)
class SakerServletWebServerFactoryContractTest extends FactoryTestSupport {

    @Test
    void theDefaultFactoryHasBootsDefaults() throws IOException {
        SakerServletWebServerFactory factory = new SakerServletWebServerFactory();
        assertThat(factory.getPort()).isEqualTo(8080);
        assertThat(factory.getSettings().getJsp().getRegistered()).isTrue();
        assertThat(factory.getSettings().getSession().getTimeout()).hasMinutes(30);
        ServerConfig engine = factory.engineConfig();
        assertThat(engine.port()).isEqualTo(8080);
        assertThat(engine.host()).as("dual-stack wildcard").isNull();
        assertThat(engine.serverHeader()).isNull();
        // No JSP engine on the class path: registered=true (Boot's default) is not an error.
        webServer = factory.getWebServer(servlet("/hello", text("Hello World")));
        assertThat(webServer.getPort()).isEqualTo(-1);
        assumeThat(portIsFree(8080)).as("port 8080 is free").isTrue();
        try {
            webServer.start();
        } catch (PortInUseException raced) {
            assumeThat(raced).as("port 8080 was taken meanwhile").isNull();
        }
        assertThat(webServer.getPort()).isEqualTo(8080);
        assertThat(get("/hello").bodyText()).isEqualTo("Hello World");
    }

    @Test
    void startServletAndFilter() throws IOException {
        Filter brackets = (request, response, chain) -> {
            response.getWriter().print("[");
            chain.doFilter(request, response);
            response.getWriter().print("]");
        };
        webServer = factory().getWebServer(servlet("/hello", text("Hello World")), new FilterRegistrationBean<>(brackets));
        webServer.start();
        assertThat(get("/hello").bodyText()).isEqualTo("[Hello World]");
    }

    @Test
    void startCalledTwiceKeepsThePortAndLogsOnce(CapturedOutput output) throws IOException {
        webServer = factory().getWebServer(servlet("/hello", text("Hello World")));
        webServer.start();
        int port = webServer.getPort();
        webServer.start();
        assertThat(webServer.getPort()).isEqualTo(port);
        assertThat(get("/hello").bodyText()).isEqualTo("Hello World");
        assertThat(output).containsOnlyOnce("started on port");
    }

    @Test
    void stopCalledTwiceAndStopThenStartServesAgain() throws IOException {
        webServer = factory().getWebServer(servlet("/hello", text("Hello World")));
        webServer.start();
        int port = webServer.getPort();
        webServer.stop();
        webServer.stop();
        assertThat(webServer.getPort()).isEqualTo(-1);
        assertThatThrownBy(() -> new RawClient(port).close()).isInstanceOf(IOException.class);
        webServer.start();
        assertThat(get("/hello").bodyText()).isEqualTo("Hello World");
    }

    @Test
    void portMinusOneStartsWithNoListenerAndAnInitializedContext(CapturedOutput output) {
        SakerServletWebServerFactory factory = factory();
        factory.setPort(-1);
        AtomicInteger servletInits = new AtomicInteger();
        CountDownLatch initialized = new CountDownLatch(1);
        webServer = factory.getWebServer(context -> initialized.countDown(), context -> context.addServlet("eager",
                new HttpServlet() {
                    @Override
                    public void init() {
                        servletInits.incrementAndGet();
                    }
                }).setLoadOnStartup(1));
        assertThat(initialized.getCount()).isZero();
        webServer.start();
        assertThat(webServer.getPort()).isEqualTo(-1);
        assertThat(((SakerWebServer) webServer).server().listenerCount()).isZero();
        assertThat(servletInits).hasValue(1);
        assertThat(output).contains("Saker started with no listener (server.port=-1)");
        webServer.stop();
        webServer.start();
        assertThat(webServer.getPort()).isEqualTo(-1);
    }

    @Test
    void portIsMinusOneOnceDestroyed() {
        webServer = factory().getWebServer();
        webServer.start();
        assertThat(webServer.getPort()).isPositive();
        webServer.destroy();
        assertThat(webServer.getPort()).isEqualTo(-1);
    }

    @Test
    void noAddressIsReachableOverIpv4AndIpv6AndIpv4ClientsKeepTheirIpv4Address() throws IOException {
        assumeThat(Loopback.hasIpv6()).as("this host has ::1").isTrue();
        webServer = factory().getWebServer(servlet("/hello", new HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
                    throws IOException {
                resp.getWriter().print(req.getRemoteAddr() + " " + req.getLocalAddr());
            }
        }));
        webServer.start();
        assertThat(Loopback.fetch(InetAddress.getByName("127.0.0.1"), webServer.getPort(), "/hello"))
                .startsWith("HTTP/1.1 200 OK").endsWith("\r\n127.0.0.1 127.0.0.1");
        assertThat(Loopback.fetch(InetAddress.getByName("::1"), webServer.getPort(), "/hello"))
                .startsWith("HTTP/1.1 200 OK").endsWith("\r\n0:0:0:0:0:0:0:1 0:0:0:0:0:0:0:1");
    }

    @Test
    void aPortInUseRaisesPortInUseException() throws IOException {
        try (ServerSocket blocked = new ServerSocket()) {
            blocked.bind(null);
            SakerServletWebServerFactory factory = factory();
            factory.setPort(blocked.getLocalPort());
            webServer = factory.getWebServer();
            assertThatThrownBy(webServer::start).isInstanceOf(PortInUseException.class)
                    .satisfies(e -> assertThat(((PortInUseException) e).getPort()).isEqualTo(blocked.getLocalPort()));
        }
    }

    @Test
    void anAddressThatCannotBeBoundFailsNamingItAndIsNotAPortInUse() throws IOException {
        InetAddress foreign = InetAddress.getByName("203.0.113.1");
        assumeThat(NetworkInterface.getByInetAddress(foreign)).as("TEST-NET-3 is not local").isNull();
        SakerServletWebServerFactory factory = factory();
        factory.setAddress(foreign);
        webServer = factory.getWebServer();
        assertThatThrownBy(webServer::start).isInstanceOf(WebServerException.class)
                .isNotInstanceOf(PortInUseException.class).hasMessageContaining("203.0.113.1")
                .hasMessageContaining("server.address");
    }

    @Test
    void startedLogMessageNamesPortAndContextPath(CapturedOutput output) {
        SakerServletWebServerFactory factory = factory();
        factory.setContextPath("/custom");
        webServer = factory.getWebServer();
        webServer.start();
        assertThat(output).containsOnlyOnce("Saker started on port " + webServer.getPort()
                + " (http) with context path '/custom'");
    }

    @Test
    void contextPathsAreValidatedAsBootDoes() {
        assertThatIllegalArgumentException().isThrownBy(() -> factory().setContextPath("missingslash"))
                .withMessageContaining("Context path must start with '/' and not end with '/'");
        assertThatIllegalArgumentException().isThrownBy(() -> factory().setContextPath("extraslash/"))
                .withMessageContaining("Context path must start with '/' and not end with '/'");
        assertThatIllegalArgumentException().isThrownBy(() -> factory().setContextPath("/"))
                .withMessageContaining("Root context path must be specified using an empty string");
    }

    @Test
    void initializersRunInBootsOrder() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        ServletContextInitializer[] initializers = new ServletContextInitializer[6];
        for (int i = 0; i < initializers.length; i++) {
            int index = i;
            initializers[i] = context -> order.add(index);
        }
        SakerServletWebServerFactory factory = factory();
        factory.setInitializers(List.of(initializers[2], initializers[3]));
        factory.addInitializers(initializers[4], initializers[5]);
        webServer = factory.getWebServer(initializers[0], initializers[1]);
        webServer.start();
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aFaultyFilterFailsStartUp() {
        SakerServletWebServerFactory factory = factory();
        factory.addInitializers(context -> context.addFilter("faulty", new Filter() {
            @Override
            public void init(FilterConfig config) throws ServletException {
                throw new ServletException("Faulty filter");
            }

            @Override
            public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
                                 jakarta.servlet.FilterChain chain) {
            }
        }));
        assertThatThrownBy(() -> {
            webServer = factory.getWebServer();
            webServer.start();
        }).isInstanceOf(WebServerException.class).hasStackTraceContaining("Faulty filter");
    }

    @Test
    void aLoadOnStartupFailureIsRethrownWrapped() {
        webServer = factory().getWebServer(context -> context.addServlet("failing", new HttpServlet() {
            @Override
            public void init() throws ServletException {
                throw new IllegalStateException("Init Failure");
            }
        }).setLoadOnStartup(0));
        assertThatThrownBy(webServer::start).isInstanceOf(WebServerException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("Init Failure");
    }

    @Test
    void contextListenersAreDestroyedOnDestroyNotOnStop() {
        List<String> events = new CopyOnWriteArrayList<>();
        webServer = factory().getWebServer(context -> context.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                events.add("destroyed");
            }
        }));
        webServer.start();
        webServer.stop();
        assertThat(events).isEmpty();
        webServer.destroy();
        assertThat(events).containsExactly("destroyed");
    }

    @Test
    void servletFilterAndListenerAreInitializedWithTheSameContextClassLoader() {
        List<ClassLoader> loaders = new ArrayList<>();
        webServer = factory().getWebServer(context -> {
            context.addServlet("tccl", new HttpServlet() {
                @Override
                public void init(ServletConfig config) {
                    loaders.add(Thread.currentThread().getContextClassLoader());
                }
            }).setLoadOnStartup(0);
            context.addFilter("tccl", new Filter() {
                @Override
                public void init(FilterConfig config) {
                    loaders.add(Thread.currentThread().getContextClassLoader());
                }

                @Override
                public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,
                                     jakarta.servlet.FilterChain chain) throws IOException, ServletException {
                    chain.doFilter(request, response);
                }
            });
            context.addListener(new ServletContextListener() {
                @Override
                public void contextInitialized(ServletContextEvent event) {
                    loaders.add(Thread.currentThread().getContextClassLoader());
                }
            });
        });
        webServer.start();
        assertThat(loaders).hasSize(3).doesNotContainNull();
        Set<ClassLoader> distinct = new HashSet<>(loaders);
        assertThat(distinct).hasSize(1);
    }

    @Test
    void aJspEngineOnTheClassPathIsRefusedNamingTheProperty() {
        SakerServletWebServerFactory factory = factory();
        // Stands in for org.apache.jasper.servlet.JspServlet: any class the loader can see.
        factory.getSettings().getJsp().setClassName(HttpServlet.class.getName());
        assertThatThrownBy(factory::getWebServer).isInstanceOf(WebServerException.class)
                .hasMessageContaining("server.servlet.jsp.registered=false");
        factory.getSettings().getJsp().setRegistered(false);
        webServer = factory.getWebServer();
        webServer.start();
        assertThat(webServer.getPort()).isPositive();
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
