package dev.saker.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code server.*} keys that have no effect while Saker serves (other servers' settings, keys of
 * reactive applications, keys Boot itself retired), each with what to use instead. The keys Saker
 * honours or refuses are not here; {@code docs/configuration.md} has the whole table.
 */
final class IgnoredServerProperties {

    private static final String ACCESS_LOG = "saker.server.accesslog.* (enabled, pattern, format, directory, prefix, max-history)";
    private static final String NO_EQUIVALENT = "no Saker equivalent";
    private static final String NOT_APPLICABLE = "not applicable to Saker";

    /** Exact keys, or prefixes ending in '.', to their advice. Longest match wins. */
    private static final Map<String, String> ADVICE = new LinkedHashMap<>();

    static {
        tomcat("accept-count", "saker.server.backlog");
        tomcat("accesslog.", ACCESS_LOG);
        tomcat("additional-tld-skip-patterns", "no JSP in Saker");
        tomcat("background-processor-delay", NOT_APPLICABLE);
        tomcat("basedir", NOT_APPLICABLE + " (no base directory)");
        tomcat("connection-timeout", "saker.server.head-timeout");
        tomcat("keep-alive-timeout", "saker.server.keep-alive-timeout");
        tomcat("max-connections", "saker.server.max-connections");
        tomcat("max-http-form-post-size", "saker.server.servlet.max-form-size");
        tomcat("max-http-response-header-size", NO_EQUIVALENT);
        tomcat("max-keep-alive-requests", "saker.server.max-keep-alive-requests");
        tomcat("max-parameter-count", "saker.server.max-parameter-count");
        tomcat("max-part-count", "saker.server.max-part-count");
        tomcat("max-part-header-size", "saker.server.max-part-header-size");
        tomcat("max-swallow-size", "saker.server.drain-limit");
        tomcat("mbeanregistry.", NOT_APPLICABLE + " (Micrometer meters saker.*)");
        tomcat("processor-cache", NOT_APPLICABLE);
        tomcat("redirect-context-root", NO_EQUIVALENT + " (Saker always redirects the bare context path)");
        tomcat("relaxed-path-chars", NO_EQUIVALENT);
        tomcat("relaxed-query-chars", NO_EQUIVALENT);
        tomcat("remoteip.", "server.forward-headers-strategy=native; Saker reads the standard header names");
        tomcat("remoteip.internal-proxies", "saker.server.forwarded.trusted-proxies");
        tomcat("remoteip.trusted-proxies", "saker.server.forwarded.trusted-proxies");
        tomcat("resource.", NOT_APPLICABLE + " (no static resource cache)");
        tomcat("threads.max", "saker.server.threads.max");
        tomcat("threads.max-queue-capacity", "saker.server.threads.queue-capacity");
        tomcat("threads.min-spare", NO_EQUIVALENT + " (idle workers retire)");
        tomcat("uri-encoding", NO_EQUIVALENT + " (request paths are UTF-8)");
        tomcat("use-apr", NOT_APPLICABLE);
        tomcat("use-relative-redirects", NO_EQUIVALENT);
        tomcat("", NO_EQUIVALENT);
        jetty("accesslog.", ACCESS_LOG);
        jetty("connection-idle-timeout", "saker.server.keep-alive-timeout");
        jetty("max-connections", "saker.server.max-connections");
        jetty("max-form-keys", NO_EQUIVALENT);
        jetty("max-http-form-post-size", "saker.server.servlet.max-form-size");
        jetty("max-http-response-header-size", NO_EQUIVALENT);
        jetty("threads.acceptors", NOT_APPLICABLE + " (listeners live on the event loops)");
        jetty("threads.selectors", "saker.server.io-threads");
        jetty("threads.max", "saker.server.threads.max");
        jetty("threads.max-queue-capacity", "saker.server.threads.queue-capacity");
        jetty("threads.min", NO_EQUIVALENT + " (idle workers retire)");
        jetty("threads.idle-timeout", NO_EQUIVALENT);
        jetty("", NO_EQUIVALENT);
        // Reactor Netty's settings (Boot's NettyServerProperties): a WebFlux application moving from it.
        netty("connection-timeout", NOT_APPLICABLE + " (a client-side connect timeout)");
        netty("h2c-max-content-length", "saker.server.http2.max-upgrade-body-size");
        netty("idle-timeout", "saker.server.keep-alive-timeout");
        netty("initial-buffer-size", NOT_APPLICABLE + " (the head is parsed in place)");
        netty("max-initial-line-length", "server.max-http-request-header-size (bounds the whole head)");
        netty("max-keep-alive-requests", "saker.server.max-keep-alive-requests");
        netty("validate-headers", NOT_APPLICABLE + " (Saker always validates header fields)");
        netty("", "Reactor Netty's settings; no Saker equivalent");
        ADVICE.put("server.undertow.", "Undertow's settings (Boot 4 has no Undertow)");
        ADVICE.put("server.reactive.", "for reactive applications; this is a servlet application");
        ADVICE.put("server.servlet.jsp.init-parameters", "no JSP in Saker");
        ADVICE.put("server.servlet.jsp.class-name", "no JSP in Saker");
        // Retired by Spring Boot itself; only the properties migrator reads them.
        ADVICE.put("server.connection-timeout", "saker.server.head-timeout and saker.server.keep-alive-timeout");
        ADVICE.put("server.max-http-header-size", "server.max-http-request-header-size");
        ADVICE.put("server.max-http-post-size", "saker.server.servlet.max-form-size");
        ADVICE.put("server.use-forward-headers", "server.forward-headers-strategy");
        ADVICE.put("server.servlet.path", "spring.mvc.servlet.path");
        ADVICE.put("server.servlet.encoding.", "spring.servlet.encoding.*");
        ADVICE.put("server.servlet.session.cookie.comment", NO_EQUIVALENT + " (retired from the Servlet API)");
        ADVICE.put("server.error.", "spring.web.error.*");
    }

    private IgnoredServerProperties() {
    }

    private static void tomcat(String key, String advice) {
        ADVICE.put("server.tomcat." + (key.isEmpty() ? "" : key), advice);
    }

    private static void netty(String key, String advice) {
        ADVICE.put("server.netty." + key, advice);
    }

    private static void jetty(String key, String advice) {
        ADVICE.put("server.jetty." + (key.isEmpty() ? "" : key), advice);
    }

    /**
     * @param name a property name in canonical form ({@code server.tomcat.max-connections}), indexes removed;
     *        from an environment variable, with dots for dashes
     * @return what to use instead when the key has no effect on Saker, else {@code null}
     */
    static String advice(String name) {
        // Environment variables reach us with dots where the key has dashes (SERVER_TOMCAT_MAX_CONNECTIONS).
        String normalized = name.replace('-', '.');
        String best = null;
        for (String key : ADVICE.keySet()) {
            String k = key.replace('-', '.');
            boolean matches = k.endsWith(".") ? normalized.startsWith(k)
                    : normalized.equals(k) || normalized.startsWith(k + ".");
            if (matches && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? null : ADVICE.get(best);
    }
}
