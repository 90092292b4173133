package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An included servlet writes into the body but cannot change status or headers (Servlet 6.1, 9.3; as Tomcat). */
class IncludedResponseTest {

    @Test
    void statusErrorsRedirectsAndHeadersOfAnIncludedServletAreIgnored() throws Exception {
        try (ServletServer server = ServletServer.start("", ctx -> {
            ctx.addServlet("outer", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
                    resp.setContentType("text/plain;charset=UTF-8");
                    resp.setHeader("X-Outer", "1");
                    resp.getWriter().write("before|");
                    req.getRequestDispatcher("/inc/" + req.getParameter("what")).include(req, resp);
                    resp.getWriter().write("|after");
                }
            }).addMapping("/outer");
            ctx.addServlet("inc", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    // Included: the request keeps the outer paths; the target's are attributes.
                    switch ((String) req.getAttribute("jakarta.servlet.include.path_info")) {
                        case "/status" -> resp.setStatus(404);
                        case "/error" -> resp.sendError(500, "from the included servlet");
                        case "/error-code" -> resp.sendError(403);
                        case "/redirect" -> resp.sendRedirect("/elsewhere");
                        case "/redirect-301" -> resp.sendRedirect("/elsewhere", 301, true);
                        default -> {
                            resp.setHeader("X-Inc", "1");
                            resp.addHeader("X-Inc-Added", "1");
                            resp.setIntHeader("X-Inc-Int", 1);
                            resp.addCookie(new Cookie("inc", "1"));
                            resp.setContentType("application/json");
                            resp.setCharacterEncoding(StandardCharsets.UTF_16);
                            resp.setContentLength(3);
                        }
                    }
                    resp.getWriter().write("included");
                }
            }).addMapping("/inc/*");
        })) {
            for (String what : new String[] {"status", "error", "error-code", "redirect", "redirect-301", "headers"}) {
                try (RawClient client = new RawClient(server.port())) {
                    client.send("GET /outer?what=" + what + " HTTP/1.1\r\nHost: a\r\n\r\n");
                    RawClient.Response response = client.read();
                    assertThat(response.status()).as(what).isEqualTo(200);
                    assertThat(response.bodyText()).as(what).isEqualTo("before|included|after");
                    assertThat(response.header("Content-Type")).as(what).isEqualTo("text/plain;charset=UTF-8");
                    assertThat(response.header("X-Outer")).as(what).isEqualTo("1");
                    assertThat(response.header("Location")).as(what).isNull();
                    assertThat(response.header("X-Inc")).as(what).isNull();
                    assertThat(response.header("X-Inc-Added")).as(what).isNull();
                    assertThat(response.header("X-Inc-Int")).as(what).isNull();
                    assertThat(response.header("Set-Cookie")).as(what).isNull();
                }
            }
        }
    }
}
