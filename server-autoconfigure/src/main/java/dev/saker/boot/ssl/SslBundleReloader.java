package dev.saker.boot.ssl;

import dev.saker.server.tls.TlsConfig;
import dev.saker.server.tls.TlsMaterial;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.util.StringUtils;

/**
 * Hot reload of a server's certificates from Spring Boot's SSL bundles: it registers an update
 * handler for the default bundle ({@code server.ssl.bundle}) and for each server-name bundle
 * ({@code server.ssl.server-name-bundles}), and on an update (bundles opt in with
 * {@code spring.ssl.bundle.<type>.<name>.reload-on-update}) hands the engine the whole new set.
 * New connections get the new material; open connections keep the one they were accepted with.
 * A bundle update that cannot be turned into material (a bad key, a missing alias) is logged and
 * the server keeps serving what it had. The engine keeps reloaded material across its own restarts;
 * an update that arrives while it is stopped (the engine refuses reloads then) is kept here and
 * applied when it starts again ({@link #reapply()}).
 */
public final class SslBundleReloader {

    /** Replaces the certificates a running server serves. */
    @FunctionalInterface
    public interface Target {
        void reloadTls(TlsMaterial defaultMaterial, Map<String, TlsMaterial> serverNames);
    }

    private static final Logger log = LoggerFactory.getLogger(SslBundleReloader.class);

    private final Target target;
    private final Ssl.ClientAuth clientAuth;
    private final Object lock = new Object();
    private TlsMaterial defaultMaterial;
    private final Map<String, TlsMaterial> serverNames;
    /** Whether an update arrived while the server was stopped (the next start must apply it). */
    private boolean pending;

    /**
     * @param target     the server to reload
     * @param initial    what the server was started with
     * @param clientAuth {@code server.ssl.client-auth}, applied to reloaded material as to the initial one
     */
    public SslBundleReloader(Target target, TlsConfig initial, Ssl.ClientAuth clientAuth) {
        this.target = target;
        this.clientAuth = clientAuth;
        this.defaultMaterial = initial.defaultMaterial();
        this.serverNames = new LinkedHashMap<>(initial.serverNames());
    }

    /** Registers the update handlers of the bundles {@code ssl} names with {@code bundles}. */
    public void register(Ssl ssl, SslBundles bundles) {
        if (bundles == null) {
            return;
        }
        if (StringUtils.hasText(ssl.getBundle())) {
            bundles.addBundleUpdateHandler(ssl.getBundle(), bundle -> update(null, ssl.getBundle(), bundle));
        }
        for (Ssl.ServerNameSslBundle serverName : ssl.getServerNameBundles()) {
            bundles.addBundleUpdateHandler(serverName.bundle(),
                    bundle -> update(serverName.serverName(), serverName.bundle(), bundle));
        }
    }

    /** Applies the updates that arrived while the server was stopped; called after each (re)start. */
    public void reapply() {
        synchronized (lock) {
            if (!pending) {
                return;
            }
            pending = false;
            try {
                target.reloadTls(defaultMaterial, Map.copyOf(serverNames));
            } catch (RuntimeException e) {
                log.error("The SSL bundles updated while the server was stopped could not be applied at start ({}); "
                        + "serving the previous certificates", e.getMessage(), e);
            }
        }
    }

    /**
     * Serves {@code bundle} for {@code serverName} ({@code null}: the default certificate) from now on.
     *
     * @return whether the server took it
     */
    public boolean update(String serverName, String bundleName, SslBundle bundle) {
        TlsMaterial material;
        try {
            material = BundleTlsMaterial.from(bundle, clientAuth);
        } catch (RuntimeException e) {
            log.error("SSL bundle '{}' was updated but cannot be used ({}); still serving the previous certificate",
                    bundleName, e.getMessage(), e);
            return false;
        }
        boolean running = true;
        synchronized (lock) {
            TlsMaterial newDefault = serverName == null ? material : defaultMaterial;
            Map<String, TlsMaterial> newNames = new LinkedHashMap<>(serverNames);
            if (serverName != null) {
                newNames.put(serverName.toLowerCase(Locale.ROOT), material);
            }
            try {
                target.reloadTls(newDefault, Map.copyOf(newNames));
            } catch (IllegalStateException notRunning) {
                running = false;
            } catch (RuntimeException e) {
                log.error("SSL bundle '{}' was updated but the server refused it ({}); still serving the previous certificate",
                        bundleName, e.getMessage(), e);
                return false;
            }
            defaultMaterial = newDefault;
            serverNames.clear();
            serverNames.putAll(newNames);
            pending |= !running;
        }
        String forName = serverName == null ? "" : " for server name " + serverName;
        if (running) {
            log.info("SSL bundle '{}' reloaded{}: new connections get its certificate", bundleName, forName);
        } else {
            log.info("SSL bundle '{}' was updated{} while the server is stopped: its certificate is served once it starts",
                    bundleName, forName);
        }
        return true;
    }
}
