package dev.saker.boot.autoconfigure;

import dev.saker.boot.AbstractSakerWebServerFactory;
import dev.saker.server.admission.AdmissionConfig;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Maps {@code saker.server.*} (the engine, TLS, forwarded-header and access log settings) and the
 * {@code server.*} properties that Spring Boot leaves to each server
 * ({@code max-http-request-header-size}, {@code forward-headers-strategy}) onto a Saker factory,
 * Servlet or reactive, one property per line. Runs first, so user customizers see (and may
 * override) the result. The Servlet-only settings are mapped by
 * {@code SakerServletWebServerFactoryCustomizer}.
 */
public class SakerWebServerFactoryCustomizer implements WebServerFactoryCustomizer<AbstractSakerWebServerFactory>, Ordered {

    private final Environment environment;
    private final ServerProperties serverProperties;
    private final SakerServerProperties saker;

    public SakerWebServerFactoryCustomizer(Environment environment, ServerProperties serverProperties,
                                           SakerServerProperties saker) {
        this.environment = environment;
        this.serverProperties = serverProperties;
        this.saker = saker;
    }

    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public void customize(AbstractSakerWebServerFactory factory) {
        PropertyMapper map = PropertyMapper.get();
        map.from(serverProperties::getMaxHttpRequestHeaderSize).as(DataSize::toBytes).as(Math::toIntExact)
                .to(factory::setMaxHeadSize);
        map.from(saker.getSsl()::getProvider).to(factory::setTlsProvider);
        map.from(saker.getSsl()::getHandshakeTimeout).to(factory::setTlsHandshakeTimeout);
        map.from(saker.getSsl()::getMaxClientHelloSize).as(DataSize::toBytes).as(Math::toIntExact)
                .to(factory::setTlsMaxClientHelloSize);
        factory.setUseForwardHeaders(useForwardHeaders());
        map.from(saker.getForwarded()::getTrustedProxies).to(factory::setTrustedProxies);
        map.from(saker.getAccesslog()).when(SakerServerProperties.Accesslog::isEnabled)
                .as(SakerServerProperties.Accesslog::settings).to(factory::setAccessLog);
        // First in the list, so that SakerServerCustomizer beans see and may override the properties.
        factory.getServerCustomizers().add(0, config -> {
            PropertyMapper engine = PropertyMapper.get();
            engine.from(saker::getTransport).to(config::transport);
            engine.from(saker::getIoThreads).to(config::ioThreads);
            engine.from(saker::getMaxConnections).to(config::maxConnections);
            engine.from(saker::getMaxHeaderCount).to(config::maxHeaderCount);
            engine.from(saker::getMaxRequestBodySize).as(DataSize::toBytes).to(config::maxRequestBodySize);
            engine.from(saker::getDrainLimit).as(DataSize::toBytes).to(config::drainLimit);
            engine.from(saker::getHeadTimeout).to(config::headTimeout);
            engine.from(saker::getKeepAliveTimeout).to(config::keepAliveTimeout);
            engine.from(saker::getBodyReadTimeout).to(config::bodyReadTimeout);
            engine.from(saker::getWriteTimeout).to(config::writeTimeout);
            engine.from(saker::getDrainIdleGrace).to(config::drainIdleGrace);
            engine.from(saker::getMaxKeepAliveRequests).to(config::maxKeepAliveRequests);
            engine.from(saker::getBacklog).to(config::backlog);
            engine.from(saker::isAllowBareLf).to(config::allowBareLf);
            engine.from(saker.getThreads()::getMax).to(config::workerThreads);
            engine.from(saker.getThreads()::getQueueCapacity).to(config::workerQueueCapacity);
            SakerServerProperties.Http2 http2 = saker.getHttp2();
            engine.from(http2::getMaxConcurrentStreams).to(config::http2MaxConcurrentStreams);
            engine.from(http2::getMaxHandlersPerConnection).to(config::http2MaxHandlersPerConnection);
            engine.from(http2::getInitialWindowSize).as(DataSize::toBytes).as(Math::toIntExact).to(config::http2InitialWindowSize);
            engine.from(http2::getMaxFrameSize).as(DataSize::toBytes).as(Math::toIntExact).to(config::http2MaxFrameSize);
            engine.from(http2::getMaxResetsReceivedPerWindow).to(config::http2MaxResetsReceivedPerWindow);
            engine.from(http2::getMaxResetsSentPerWindow).to(config::http2MaxResetsSentPerWindow);
            engine.from(http2::getResetWindow).to(config::http2ResetWindow);
            engine.from(http2::getMaxConsecutiveEmptyDataFrames).to(config::http2MaxConsecutiveEmptyDataFrames);
            engine.from(http2::getMaxSmallContinuationFrames).to(config::http2MaxSmallContinuationFrames);
            engine.from(http2::getMaxQueuedControlFrames).to(config::http2MaxQueuedControlFrames);
            engine.from(http2::getMaxUpgradeBodySize).as(DataSize::toBytes).as(Math::toIntExact).to(config::http2MaxUpgradeBodySize);
            config.admission(admission(saker.getLimits()));
        });
    }

    /**
     * {@code server.forward-headers-strategy=native}; when unset, on as soon as a cloud platform that
     * fronts applications with a proxy is active (Kubernetes, Cloud Foundry ...), as Boot does for
     * Tomcat and Reactor Netty. {@code framework} leaves the fields to Spring's own filter or transformer.
     */
    private boolean useForwardHeaders() {
        ServerProperties.ForwardHeadersStrategy strategy = serverProperties.getForwardHeadersStrategy();
        if (strategy == null) {
            CloudPlatform platform = CloudPlatform.getActive(environment);
            return platform != null && platform.isUsingForwardHeaders();
        }
        return strategy == ServerProperties.ForwardHeadersStrategy.NATIVE;
    }

    private static AdmissionConfig admission(SakerServerProperties.Limits limits) {
        SakerServerProperties.Limits.PerClient perClient = limits.getPerClient();
        SakerServerProperties.Limits.Adaptive adaptive = limits.getAdaptive();
        return AdmissionConfig.builder()
                .maxConnectionsPerClient(perClient.getMaxConnections())
                .requestsPerSecond(perClient.getRequestsPerSecond())
                .burst(perClient.getBurst())
                .maxClients(perClient.getMaxClients())
                .perClientIpv6PrefixLength(perClient.getIpv6PrefixLength())
                .trustedProxies(perClient.getTrustedProxies())
                .clientHeader(perClient.getClientHeader())
                .maxConcurrentRequests(limits.getMaxConcurrentRequests())
                .retryAfter(limits.getRetryAfter())
                .adaptive(adaptive.isEnabled())
                .adaptiveMinLimit(adaptive.getMinLimit())
                .adaptiveInitialLimit(adaptive.getInitialLimit())
                .adaptiveLatencyThreshold(adaptive.getLatencyThreshold())
                .adaptiveBackoffRatio(adaptive.getBackoffRatio())
                .build();
    }
}
