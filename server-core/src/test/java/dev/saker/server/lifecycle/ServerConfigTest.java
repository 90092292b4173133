package dev.saker.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.dispatch.DispatchMode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ServerConfig c = ServerConfig.builder().build();
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.dispatchMode()).isEqualTo(DispatchMode.WORKER_POOL);
        assertThat(c.workerThreads()).isEqualTo(200);
        assertThat(c.maxHeadSize()).isEqualTo(8192);
        assertThat(c.maxHeaderCount()).isEqualTo(100);
        assertThat(c.maxRequestBodySize()).isEqualTo(-1);
        assertThat(c.drainLimit()).isEqualTo(2 * 1024 * 1024);
        assertThat(c.headTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.maxConnections()).isEqualTo(10_000);
        assertThat(c.maxKeepAliveRequests()).isEqualTo(-1);
        assertThat(c.serverHeader()).isEqualTo("Saker");
        assertThat(c.host()).as("dual-stack wildcard").isNull();
        assertThat(c.allowBareLf()).isFalse();
        assertThat(c.http2()).isFalse();
        assertThat(c.http2MaxConcurrentStreams()).isEqualTo(100);
        assertThat(c.http2MaxHandlersPerConnection()).isEqualTo(20);
        assertThat(c.http2InitialWindowSize()).isEqualTo(65_535);
        assertThat(c.http2MaxFrameSize()).isEqualTo(16_384);
        assertThat(c.http2MaxResetsReceivedPerWindow()).isEqualTo(200);
        assertThat(c.http2MaxResetsSentPerWindow()).isEqualTo(200);
        assertThat(c.http2ResetWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.http2MaxConsecutiveEmptyDataFrames()).isEqualTo(2);
        assertThat(c.http2MaxSmallContinuationFrames()).isEqualTo(16);
        assertThat(c.http2MaxQueuedControlFrames()).isEqualTo(10_000);
    }

    @Test
    void toBuilderKeepsEveryValue() {
        ServerConfig c = ServerConfig.builder().port(1).ioThreads(3).maxHeadSize(1024).maxHeaderCount(7)
                .maxRequestBodySize(99).drainLimit(5).headTimeout(Duration.ofMillis(1)).keepAliveTimeout(Duration.ofMillis(2))
                .bodyReadTimeout(Duration.ofMillis(3)).writeTimeout(Duration.ofMillis(4)).maxConnections(5)
                .maxKeepAliveRequests(6).backlog(7).allowBareLf(true).serverHeader(null).responseBufferSize(512)
                .workerThreads(9).workerQueueCapacity(10).maxChunkExtensionBytes(11)
                .http2(true).http2MaxConcurrentStreams(12).http2InitialWindowSize(13_000).http2MaxFrameSize(20_000)
                .http2MaxResetsReceivedPerWindow(14).http2MaxResetsSentPerWindow(15).http2ResetWindow(Duration.ofSeconds(16))
                .http2MaxConsecutiveEmptyDataFrames(17).http2MaxSmallContinuationFrames(18).http2MaxQueuedControlFrames(19).build();
        ServerConfig copy = c.toBuilder().build();
        assertThat(copy).usingRecursiveComparison().isEqualTo(c);
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThatThrownBy(() -> ServerConfig.builder().port(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> ServerConfig.builder().port(-2)).hasMessageContaining("port");
        assertThatThrownBy(() -> ServerConfig.builder().maxKeepAliveRequests(0)).hasMessageContaining("maxKeepAliveRequests");
        assertThatThrownBy(() -> ServerConfig.builder().headTimeout(Duration.ZERO)).hasMessageContaining("headTimeout");
        assertThatThrownBy(() -> ServerConfig.builder().maxRequestBodySize(-2)).hasMessageContaining("maxRequestBodySize");
        assertThatThrownBy(() -> ServerConfig.builder().maxConnections(0)).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> ServerConfig.builder().maxConnections(-2)).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> ServerConfig.builder().http2MaxConcurrentStreams(0)).hasMessageContaining("http2MaxConcurrentStreams");
        assertThatThrownBy(() -> ServerConfig.builder().http2MaxHandlersPerConnection(0)).hasMessageContaining("http2MaxHandlersPerConnection");
        assertThatThrownBy(() -> ServerConfig.builder().http2InitialWindowSize(10)).hasMessageContaining("http2InitialWindowSize");
        assertThatThrownBy(() -> ServerConfig.builder().http2MaxFrameSize(16_383)).hasMessageContaining("http2MaxFrameSize");
        assertThatThrownBy(() -> ServerConfig.builder().http2MaxFrameSize(16_777_216)).hasMessageContaining("http2MaxFrameSize");
        assertThatThrownBy(() -> ServerConfig.builder().http2MaxResetsReceivedPerWindow(0)).hasMessageContaining("http2MaxResetsReceivedPerWindow");
        assertThatThrownBy(() -> ServerConfig.builder().http2MaxResetsSentPerWindow(0)).hasMessageContaining("http2MaxResetsSentPerWindow");
        assertThatThrownBy(() -> ServerConfig.builder().http2ResetWindow(Duration.ZERO)).hasMessageContaining("http2ResetWindow");
        assertThatThrownBy(() -> ServerConfig.builder().http2ResetWindow(Duration.ofMillis(1500))).hasMessageContaining("http2ResetWindow");
        assertThatThrownBy(() -> ServerConfig.builder().http2ResetWindow(Duration.ofDays(2))).hasMessageContaining("http2ResetWindow");
        assertThatThrownBy(() -> ServerConfig.builder().http2MaxConsecutiveEmptyDataFrames(0)).hasMessageContaining("http2MaxConsecutiveEmptyDataFrames");
        assertThatThrownBy(() -> ServerConfig.builder().http2MaxSmallContinuationFrames(0)).hasMessageContaining("http2MaxSmallContinuationFrames");
        assertThatThrownBy(() -> ServerConfig.builder().http2MaxQueuedControlFrames(0)).hasMessageContaining("http2MaxQueuedControlFrames");
    }

    @Test
    void minusOneConnectionsMeansNoLimitAsOnTomcat() {
        assertThat(ServerConfig.builder().maxConnections(-1).build().maxConnections()).isEqualTo(Integer.MAX_VALUE);
    }
}
