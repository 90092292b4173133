package dev.saker.boot.autoconfigure;

import dev.saker.boot.AbstractSakerWebServerFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.core.env.Environment;

/**
 * Warns once, when the Saker server is configured, about every {@code server.*} key set in the
 * environment that has no effect on Saker ({@code server.tomcat.*}, {@code server.jetty.*}, keys Boot
 * retired ...), naming what to use instead. Environment variables count ({@code SERVER_TOMCAT_MAX_CONNECTIONS}).
 */
public class IgnoredServerPropertiesReporter implements WebServerFactoryCustomizer<AbstractSakerWebServerFactory> {

    private static final Logger log = LoggerFactory.getLogger(IgnoredServerPropertiesReporter.class);

    private final Environment environment;
    private final AtomicBoolean reported = new AtomicBoolean();

    public IgnoredServerPropertiesReporter(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void customize(AbstractSakerWebServerFactory factory) {
        Map<String, String> ignored = ignoredKeysFor(factory);
        if (!ignored.isEmpty() && reported.compareAndSet(false, true)) {
            log.warn("Saker is the web server: these properties have no effect: {}", ignored.entrySet().stream()
                    .map(entry -> entry.getKey() + " (" + entry.getValue() + ")").collect(Collectors.joining(", ")));
        }
    }

    /** @return the keys {@link #ignoredKeys()} names that have no effect on the application {@code factory} serves */
    public Map<String, String> ignoredKeysFor(AbstractSakerWebServerFactory factory) {
        Map<String, String> ignored = ignoredKeys();
        if (!(factory instanceof ConfigurableServletWebServerFactory)) {
            // A reactive application: WebFlux reads server.reactive.* itself.
            ignored.keySet().removeIf(key -> key.startsWith("server.reactive."));
        }
        return ignored;
    }

    /** @return each ignored key set in the environment, sorted, with its advice */
    Map<String, String> ignoredKeys() {
        Map<String, String> ignored = new TreeMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().map(name -> name.toString().replaceFirst("\\[.*$", ""))
                        .filter(name -> name.startsWith("server."))
                        .forEach(name -> {
                            String advice = IgnoredServerProperties.advice(name);
                            if (advice != null) {
                                ignored.put(name, advice);
                            }
                        });
            }
        }
        return ignored;
    }
}
