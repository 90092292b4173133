package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class BasicServletTest {

    static final class InfoServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print(req.getRequestURI() + "|" + req.getContextPath() + "|" + req.getServletPath() + "|"
                    + req.getPathInfo() + "|" + req.getQueryString() + "|" + req.getParameter("a") + "|"
                    + req.getHttpServletMapping().getMappingMatch() + "|" + req.getAttribute("filtered"));
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print("form " + req.getParameter("name") + " " + String.join(",", req.getParameterValues("a")));
        }
    }

    @Test
    void mapsRequestsToServletsThroughFilters() throws Exception {
        try (ServletServer server = ServletServer.start("/app", ctx -> {
            ctx.addServlet("info", new InfoServlet()).addMapping("/info/*", "*.do", "/exact", "/");
            Filter mark = (req, res, chain) -> {
                req.setAttribute("filtered", "yes");
                chain.doFilter(req, res);
            };
            ctx.addFilter("mark", mark).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        })) {
            assertThat(get(server, "/app/info/x/y?a=1")).isEqualTo("/app/info/x/y|/app|/info|/x/y|a=1|1|PATH|yes");
            assertThat(get(server, "/app/some/page.do")).isEqualTo("/app/some/page.do|/app|/some/page.do|null|null|null|EXTENSION|yes");
            assertThat(get(server, "/app/exact")).isEqualTo("/app/exact|/app|/exact|null|null|null|EXACT|yes");
            assertThat(get(server, "/app/other")).isEqualTo("/app/other|/app|/other|null|null|null|DEFAULT|yes");
            assertThat(get(server, "/app/a/../info/z")).isEqualTo("/app/a/../info/z|/app|/info|/z|null|null|PATH|yes");
            try (RawClient client = new RawClient(server.port())) {
                client.send("GET /elsewhere HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(client.read().status()).isEqualTo(404);
                client.send("GET /app HTTP/1.1\r\nHost: a\r\n\r\n");
                RawClient.Response redirect = client.read();
                assertThat(redirect.status()).isEqualTo(302);
                assertThat(redirect.header("Location")).isEqualTo("/app/");
                client.send("POST /app/info HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: 21\r\n\r\nname=J%C3%B6rg&a=2&a=3");
                assertThat(client.read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void pathHandlingRejectsHostilePaths() throws Exception {
        try (ServletServer server = ServletServer.start("", ctx -> ctx.addServlet("info", new InfoServlet()).addMapping("/"))) {
            assertThat(status(server, "/../etc/passwd")).isEqualTo(400);
            assertThat(status(server, "/a%2Fb")).isEqualTo(400);
            assertThat(status(server, "/a%00b")).isEqualTo(400);
            assertThat(get(server, "/caf%C3%A9;jsessionid=abc/x")).startsWith("/caf%C3%A9;jsessionid=abc/x||/café/x|");
            assertThat(get(server, "//a///b")).startsWith("//a///b||/a/b|");
        }
    }

    static String get(ServletServer server, String target) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).as(target).isEqualTo(200);
            return response.bodyText();
        }
    }

    static int status(ServletServer server, String target) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
            return client.read().status();
        }
    }

}
