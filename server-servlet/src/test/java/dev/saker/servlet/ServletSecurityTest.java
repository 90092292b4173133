package dev.saker.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.RawClient;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path traversal on static resources and what error responses reveal. */
class ServletSecurityTest {

    @Test
    void staticResourcesCannotBeEscaped(@TempDir Path root) throws Exception {
        Path docs = Files.createDirectories(root.resolve("docs"));
        Files.writeString(docs.resolve("public.txt"), "public");
        Files.writeString(root.resolve("secret.txt"), "secret");
        try (ServletServer server = ServletServer.start("", ctx -> {
            ctx.setDocumentRoot(docs);
            ctx.addServlet("files", new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    try (InputStream in = req.getServletContext().getResourceAsStream(req.getPathInfo())) {
                        if (in == null) {
                            resp.sendError(404);
                            return;
                        }
                        in.transferTo(resp.getOutputStream());
                    }
                }
            }).addMapping("/static/*");
        })) {
            assertThat(get(server, "/static/public.txt").bodyText()).isEqualTo("public");
            for (String attack : new String[] {"/static/../secret.txt", "/static/..%2fsecret.txt",
                "/static/%2e%2e/%2e%2e/secret.txt", "/static/%2e%2e%5csecret.txt", "/static/..\\secret.txt"}) {
                RawClient.Response response = get(server, attack);
                assertThat(response.bodyText()).as(attack).doesNotContain("secret");
                assertThat(response.status()).as(attack).isIn(400, 404);
            }
            assertThat(server.container().context().getResource("/../secret.txt")).isNull();
            assertThat(server.container().context().getRealPath("/../secret.txt")).isNull();
        }
    }

    @Test
    void defaultErrorResponsesRevealNoDetail() throws Exception {
        try (ServletServer server = ServletServer.start("", ctx -> ctx.addServlet("boom", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                throw new IllegalStateException("db password is hunter2");
            }
        }).addMapping("/"))) {
            RawClient.Response response = get(server, "/anything");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.bodyText()).isEqualTo("500 Internal Server Error")
                    .doesNotContain("hunter2").doesNotContain("Exception");
            assertThat(response.header("Server")).isEqualTo("Saker");
        }
    }

    private static RawClient.Response get(ServletServer server, String target) throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n");
            return client.read();
        }
    }
}
