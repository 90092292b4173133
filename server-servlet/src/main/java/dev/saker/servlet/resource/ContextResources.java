package dev.saker.servlet.resource;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The resources of a web application, as {@code ServletContext.getResource*} and the default
 * servlet see them: the document root directory first, then {@code META-INF/resources} of the
 * application's class path (directories and jars). One place resolves paths, so
 * {@code getResource}, {@code getResourcePaths}, {@code getRealPath} and the default servlet agree.
 */
public final class ContextResources {

    private static final String JAR_RESOURCES = "META-INF/resources";

    private final ClassLoader classLoader;
    private volatile Path documentRoot;

    public ContextResources(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Sets the document root directory (may be {@code null}: class-path resources only). */
    public void setDocumentRoot(Path documentRoot) {
        this.documentRoot = documentRoot == null ? null : documentRoot.toAbsolutePath().normalize();
    }

    public Path documentRoot() {
        return documentRoot;
    }

    /**
     * @return the URL of the resource at {@code path}; {@code "/"} is the document root itself
     * @throws MalformedURLException if the path does not start with '/'
     */
    public URL getResource(String path) throws MalformedURLException {
        if (path == null || !path.startsWith("/")) {
            throw new MalformedURLException("resource path must start with '/': " + path);
        }
        Path file = file(path);
        if (file != null && Files.exists(file)) {
            return file.toUri().toURL();
        }
        String relative = normalize(path);
        return relative == null ? null : classLoader.getResource(JAR_RESOURCES + relative);
    }

    public InputStream getResourceAsStream(String path) {
        try {
            URL url = getResource(path);
            return url == null ? null : url.openStream();
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the entries directly under the directory {@code path} (directories end with '/'), or {@code null} */
    public Set<String> getResourcePaths(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("resource path must start with '/': " + path);
        }
        String relative = normalize(path);
        if (relative == null) {
            return null;
        }
        String base = relative.endsWith("/") ? relative : relative + "/";
        Set<String> paths = new TreeSet<>();
        Path dir = file(base);
        if (dir != null && Files.isDirectory(dir)) {
            listDirectory(dir, base, paths);
        }
        try {
            Enumeration<URL> roots = classLoader.getResources(JAR_RESOURCES + base);
            while (roots.hasMoreElements()) {
                listUrl(roots.nextElement(), base, paths);
            }
        } catch (IOException e) {
            // an unreadable class-path entry contributes nothing
        }
        return paths.isEmpty() && (dir == null || !Files.isDirectory(dir)) ? null : new LinkedHashSet<>(paths);
    }

    /** @return the file-system path {@code path} maps to under the document root, or {@code null} */
    public String getRealPath(String path) {
        Path file = file(path == null ? "/" : path);
        return file == null ? null : file.toString();
    }

    /** @return the resource at {@code path} for serving, or {@code null} when there is none */
    public WebResource resolve(String path) {
        String relative = normalize(path);
        if (relative == null) {
            return null;
        }
        Path file = file(relative);
        if (file != null && Files.exists(file) && insideRoot(file)) {
            return new WebResource.FileResource(file);
        }
        URL url = classLoader.getResource(JAR_RESOURCES + relative);
        return url == null ? null : WebResource.of(url);
    }

    /** @return the file under the document root for {@code path}, or {@code null} (no root, or outside it) */
    private Path file(String path) {
        Path root = documentRoot;
        if (root == null) {
            return null;
        }
        String relative = normalize(path);
        if (relative == null) {
            return null;
        }
        Path resolved = root.resolve(relative.substring(1)).normalize();
        return resolved.startsWith(root) ? resolved : null;
    }

    /** Symbolic links may not lead out of the document root (Tomcat's {@code allowLinking=false}). */
    private boolean insideRoot(Path file) {
        try {
            return file.toRealPath().startsWith(documentRoot.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Rejects paths that climb above the root or hold characters no file name should; returns the
     * path with a leading slash, or {@code null}.
     */
    static String normalize(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        if (p.indexOf('\\') >= 0 || p.indexOf('\0') >= 0) {
            return null;
        }
        for (String segment : p.split("/")) {
            if (segment.equals("..")) {
                return null;
            }
        }
        return p;
    }

    private static void listDirectory(Path dir, String base, Set<String> paths) {
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> paths.add(base + p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
        } catch (IOException e) {
            // unreadable: nothing to list
        }
    }

    private static void listUrl(URL url, String base, Set<String> paths) throws IOException {
        if (url.getProtocol().equals("file")) {
            try {
                Path dir = Paths.get(url.toURI());
                if (Files.isDirectory(dir)) {
                    listDirectory(dir, base, paths);
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a plain file URL
            }
            return;
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection)) {
            return;
        }
        JarURLConnection jar = (JarURLConnection) connection;
        jar.setUseCaches(true);
        JarFile file = jar.getJarFile();
        String prefix = JAR_RESOURCES + base;
        Enumeration<JarEntry> entries = file.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.length() > prefix.length() && name.startsWith(prefix)) {
                String rest = name.substring(prefix.length());
                int slash = rest.indexOf('/');
                paths.add(base + (slash < 0 ? rest : rest.substring(0, slash + 1)));
            }
        }
    }
}
