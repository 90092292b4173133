package dev.saker.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Http2StatsTest {

    @Test
    void countsByDirectionAndErrorCode() {
        Http2Stats stats = new ServerStats().http2();
        stats.streamOpened();
        stats.streamOpened();
        stats.streamClosed();
        stats.resetSent(0x1);
        stats.resetSent(0x1);
        stats.resetReceived(0x8);
        stats.goAwaySent(0xb);
        assertThat(stats.streamsActive()).isEqualTo(1);
        assertThat(stats.resetsSent(0x1)).isEqualTo(2);
        assertThat(stats.resetsReceived(0x1)).isZero();
        assertThat(stats.resetsReceived(0x8)).isEqualTo(1);
        assertThat(stats.goAwaysSent(0xb)).isEqualTo(1);
        assertThat(stats.goAwaysSent(0x0)).isZero();
    }

    @Test
    void unknownCodesShareOneSlot() {
        Http2Stats stats = new Http2Stats();
        stats.resetReceived(0x1234);
        stats.resetReceived(-1);
        stats.goAwaySent(0xffffffffL);
        assertThat(stats.resetsReceived(Http2Stats.OTHER_CODE)).isEqualTo(2);
        assertThat(stats.resetsReceived(0x99)).isEqualTo(2);
        assertThat(stats.goAwaysSent(Http2Stats.OTHER_CODE)).isEqualTo(1);
    }
}
