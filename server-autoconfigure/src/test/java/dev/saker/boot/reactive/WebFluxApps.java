package dev.saker.boot.reactive;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the reactive test applications of this package on Saker, as Spring Boot starts them. */
final class WebFluxApps {

    /**
     * Spring Security is on this module's test class path (for the servlet access log tests); an
     * application that is not about security leaves it out.
     */
    static final String WITHOUT_SECURITY = "spring.autoconfigure.exclude="
            + "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration,"
            + "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration";

    private WebFluxApps() {
    }

    /** Starts {@code app} as a reactive application on an ephemeral port, without banner, with {@code properties}. */
    static ConfigurableApplicationContext start(Class<?> app, String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(app).web(WebApplicationType.REACTIVE)
                .properties(all.toArray(String[]::new)).run();
    }

    /** @return the port the application's web server listens on */
    static int port(ConfigurableApplicationContext context) {
        return ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
    }
}
