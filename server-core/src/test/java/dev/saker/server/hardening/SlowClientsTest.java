package dev.saker.server.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.TimeoutKind;
import dev.saker.server.testing.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Slowloris: many connections trickling heads are all cut at the head deadline, while others are served. */
class SlowClientsTest {

    private static final int ATTACKERS = 1000;

    @Test
    void thousandSlowlorisConnectionsAreClosedAtTheHeadDeadlineWhileANormalClientIsServed() throws Exception {
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .dispatchMode(DispatchMode.EVENT_LOOP).headTimeout(Duration.ofMillis(1500)).build(),
                ex -> ex.send("ok")).start();
        List<SocketChannel> attackers = new ArrayList<>();
        try {
            long baseline = medianLatencyNanos(server.port(), 50);
            for (int i = 0; i < ATTACKERS; i++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
                ch.configureBlocking(false);
                attackers.add(ch);
            }
            byte[] head = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            int[] sent = new int[ATTACKERS];
            boolean[] closed = new boolean[ATTACKERS];
            long[] duringAttack = new long[40];
            int normal = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            ByteBuffer sink = ByteBuffer.allocate(512);
            int tick = 0;
            while (System.nanoTime() < deadline && count(closed) < ATTACKERS) {
                // Every attacker sends one byte per 100 ms, spread over ten 10 ms ticks as a real
                // trickle from many clients would be (not all 1000 bytes at the same instant).
                tick++;
                for (int i = tick % 10; i < ATTACKERS; i += 10) {
                    if (closed[i]) {
                        continue;
                    }
                    SocketChannel ch = attackers.get(i);
                    try {
                        sink.clear();
                        if (ch.read(sink) < 0) {
                            closed[i] = true;
                            continue;
                        }
                        // One more byte of a head that never ends: the steady trickle of a slowloris.
                        ch.write(ByteBuffer.wrap(head, sent[i] % head.length, 1));
                        sent[i]++;
                    } catch (IOException reset) {
                        closed[i] = true;
                    }
                }
                if (tick % 5 == 0 && normal < duringAttack.length) {
                    duringAttack[normal++] = latencyNanos(server.port());
                }
                TimeUnit.MILLISECONDS.sleep(10);
            }
            assertThat(count(closed)).as("slowloris connections closed by the server").isEqualTo(ATTACKERS);
            assertThat(server.stats().timeouts(TimeoutKind.HEAD)).isEqualTo(ATTACKERS);
            Arrays.sort(duringAttack, 0, normal);
            long median = duringAttack[normal / 2];
            System.out.printf("slowloris: %d connections closed at the %s head deadline; a normal request took "
                    + "%d us (median of %d) during the attack vs %d us before%n", count(closed), "1.5 s",
                    median / 1000, normal, baseline / 1000);
            assertThat(normal).isGreaterThan(10);
            // Generous: the loop itself shares 2 cores with 1000 sockets; the point is "still fast".
            assertThat(median).as("median latency during the attack vs %d ns before", baseline)
                    .isLessThan(Math.max(baseline * 5, TimeUnit.MILLISECONDS.toNanos(20)));
        } finally {
            for (SocketChannel ch : attackers) {
                ch.close();
            }
            server.stop();
        }
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    private static long medianLatencyNanos(int port, int samples) throws IOException {
        long[] all = new long[samples];
        for (int i = 0; i < samples; i++) {
            all[i] = latencyNanos(port);
        }
        Arrays.sort(all);
        return all[samples / 2];
    }

    private static long latencyNanos(int port) throws IOException {
        long start = System.nanoTime();
        try (RawClient client = new RawClient(port)) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("ok");
        }
        return System.nanoTime() - start;
    }
}
