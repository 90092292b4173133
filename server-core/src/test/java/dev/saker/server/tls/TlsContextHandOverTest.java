package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.saker.server.connection.ServerRuntime;
import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.dispatch.Dispatcher;
import dev.saker.server.http1.Http1Protocol;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.ServerStats;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.TestTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ReferenceCounted;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over of an OpenSSL context from a handshake's lookup to its engine, step by step, with a
 * reload in between: what a reload on another thread can do at the worst moment.
 */
class TlsContextHandOverTest {

    private TlsSelection selection;

    @BeforeEach
    void openSsl() {
        assumeTrue(OpenSsl.isAvailable(), "netty-tcnative is not available on this platform");
        ServerRuntime runtime = new ServerRuntime(ServerConfig.builder().build(), new ServerStats(), ex -> { },
                Dispatcher.create(DispatchMode.EVENT_LOOP, 1, 0));
        TlsConfig config = TlsConfig.builder(TestTls.material("server")).provider(TlsProvider.OPENSSL)
                .serverName("alt.example", TestTls.material("alt")).build();
        selection = new TlsSelection(runtime, config, List.of(new Http1Protocol(runtime)));
    }

    @AfterEach
    void close() {
        if (selection != null) {
            selection.close();
        }
    }

    @Test
    void aReloadBetweenLookupAndEngineLeavesTheContextAliveUntilTheEngineIsReleased() {
        TlsContexts held = selection.acquireContexts();
        ReferenceCounted chosen = (ReferenceCounted) held.forServerName(null);
        ReferenceCounted otherName = (ReferenceCounted) held.forServerName("ALT.example");
        assertThat(chosen.refCnt()).isEqualTo(1);

        selection.reload(TestTls.material("server2"), Map.of("alt.example", TestTls.material("alt")));
        assertThat(chosen.refCnt()).as("held by the lookup").isEqualTo(1);
        assertThat(otherName.refCnt()).isEqualTo(1);

        SSLEngine engine = ((SslContext) chosen).newEngine(ByteBufAllocator.DEFAULT);
        assertThat(chosen.refCnt()).isEqualTo(2);
        held.release();
        assertThat(chosen.refCnt()).as("the engine's own reference").isEqualTo(1);
        assertThat(otherName.refCnt()).as("no engine: released with the set").isZero();
        assertThat(held.tryAcquire()).as("a released set is never used again").isFalse();

        TlsContexts next = selection.acquireContexts();
        assertThat(next).isNotSameAs(held);
        next.release();

        ReferenceCountUtil.release(engine);
        assertThat(chosen.refCnt()).isZero();
    }

    @Test
    void closeReleasesTheCurrentContextsOnce() {
        List<SslContext> current = selection.currentContexts().all();
        selection.close();
        selection.close();
        for (SslContext context : current) {
            assertThat(((ReferenceCounted) context).refCnt()).isZero();
        }
        assertThatThrownBy(selection::acquireContexts).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> selection.reload(TestTls.material("server"), Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRefusedReloadReleasesTheContextsItBuiltAndKeepsTheCurrentOnes() {
        TlsContexts before = selection.currentContexts();
        TlsMaterial refused = new TlsMaterial(TestTls.keyManagers("server2"), null, ClientAuth.NONE, List.of(),
                List.of("TLS_NO_SUCH_CIPHER"), List.of());
        assertThatThrownBy(() -> selection.reload(TestTls.material("server2"), Map.of("bad.example", refused)))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("with provider OPENSSL");
        assertThat(selection.currentContexts()).isSameAs(before);
        assertThat(before.all()).allSatisfy(context -> assertThat(((ReferenceCounted) context).refCnt()).isEqualTo(1));
        // The default context built for the refused set is tracked by the leak detector: it would be
        // reported here had it not been released.
        assertThat(LeakCheckExtension.collect()).isEmpty();
    }
}
