package dev.saker.servlet.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.servlet.context.SakerServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What ServletContext's resource methods and the default servlet see: the document root, then jars. */
class ContextResourcesTest {

    @TempDir
    Path root;

    @Test
    void rootResourceIsTheDocumentRootAndTheMethodsAgree() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a");
        Files.createDirectories(root.resolve("sub"));
        SakerServletContext context = new SakerServletContext("", getClass().getClassLoader());
        context.setDocumentRoot(root);
        URL rootUrl = context.getResource("/");
        assertThat(rootUrl).isEqualTo(root.toUri().toURL());
        assertThat(context.getRealPath("/")).isEqualTo(root.toAbsolutePath().normalize().toString());
        assertThat(context.getRealPath("/a.txt")).isEqualTo(root.resolve("a.txt").toAbsolutePath().toString());
        assertThat(context.getResourcePaths("/")).contains("/a.txt", "/sub/");
        assertThat(new URL(rootUrl, "a.txt")).isEqualTo(context.getResource("/a.txt"));
        assertThat(context.getResource("/../etc/passwd")).isNull();
        assertThat(context.getRealPath("/../x")).isNull();
    }

    @Test
    void withoutDocumentRootRootResourceComesFromTheClassPathOnly() throws Exception {
        SakerServletContext context = new SakerServletContext("", new URLClassLoader(new URL[0], null));
        assertThat(context.getResource("/")).isNull();
        assertThat(context.getRealPath("/")).isNull();
        assertThat(context.getResourcePaths("/")).isNull();
    }

    @Test
    void resourcesInJarsUnderMetaInfResources() throws Exception {
        Path jar = root.resolve("static.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/resources/"));
            out.putNextEntry(new JarEntry("META-INF/resources/css/"));
            put(out, "META-INF/resources/css/site.css", "body{}");
            put(out, "META-INF/resources/hello.txt", "hello from a jar");
            put(out, "dev/Secret.class", "not a resource");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ContextResources resources = new ContextResources(loader);
            WebResource hello = resources.resolve("/hello.txt");
            assertThat(hello.isDirectory()).isFalse();
            assertThat(hello.length()).isEqualTo(16);
            assertThat(hello.lastModified()).isPositive();
            try (InputStream in = hello.open(6)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from a jar");
            }
            assertThat(resources.resolve("/css").isDirectory()).isTrue();
            assertThat(resources.resolve("/dev/Secret.class")).isNull();
            assertThat(resources.getResourcePaths("/")).containsExactly("/css/", "/hello.txt");
            assertThat(resources.getResourcePaths("/css/")).containsExactly("/css/site.css");
            assertThat(resources.getResource("/hello.txt").toString()).startsWith("jar:");
        }
    }

    private static void put(JarOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream entry = out;
        entry.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
