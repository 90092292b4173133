package dev.saker.boot.autoconfigure.metrics;

import dev.saker.boot.metrics.SakerMetricsBinder;
import dev.saker.server.lifecycle.SakerServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/** Auto-configuration of the Saker meters ({@code saker.*}) when Micrometer is in use. */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnWebApplication
@ConditionalOnClass({MeterRegistry.class, SakerServer.class})
public final class SakerMetricsAutoConfiguration {

    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnMissingBean
    SakerMetricsBinder sakerMetricsBinder(MeterRegistry meterRegistry) {
        return new SakerMetricsBinder(meterRegistry);
    }
}
