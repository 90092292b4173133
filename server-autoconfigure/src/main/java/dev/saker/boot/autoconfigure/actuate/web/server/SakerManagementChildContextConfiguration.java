package dev.saker.boot.autoconfigure.actuate.web.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the management child context adds to Saker's own auto-configuration. */
@Configuration(proxyBeanMethods = false)
class SakerManagementChildContextConfiguration {

    @Bean
    static SakerManagementAccessLogCustomizer sakerManagementAccessLogCustomizer() {
        return new SakerManagementAccessLogCustomizer();
    }
}
