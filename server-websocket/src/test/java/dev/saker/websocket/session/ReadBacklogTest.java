package dev.saker.websocket.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.websocket.WebSocketSession;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadBacklogTest {

    private final List<String> calls = new ArrayList<>();
    /** Records pauseReading and resumeReading; nothing else is called by the backlog. */
    private final WebSocketSession ws = (WebSocketSession) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {WebSocketSession.class}, (proxy, method, args) -> {
                calls.add(method.getName());
                return null;
            });

    @Test
    void messagesUnderTheLimitNeverPauseReading() {
        ReadBacklog backlog = new ReadBacklog(() -> 1024);
        long cost = ReadBacklog.cost(16);
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < 12; i++) {
                backlog.queued(ws, cost);
            }
            for (int i = 0; i < 12; i++) {
                backlog.handled(ws, cost);
            }
        }
        assertThat(calls).isEmpty();
        assertThat(backlog.waiting()).isZero();
    }

    @Test
    void pastTheLimitReadingPausesOnceAndResumesAtTheLimit() {
        ReadBacklog backlog = new ReadBacklog(() -> 1000);
        long cost = ReadBacklog.cost(236); // 300: the fourth message goes past 1000
        for (int i = 0; i < 3; i++) {
            backlog.queued(ws, cost);
        }
        assertThat(calls).isEmpty();
        backlog.queued(ws, cost);
        assertThat(calls).containsExactly("pauseReading");
        // A message already read when reading paused still counts; no second pause.
        backlog.queued(ws, cost);
        assertThat(calls).containsExactly("pauseReading");
        backlog.handled(ws, cost); // 1200 left
        assertThat(calls).containsExactly("pauseReading");
        backlog.handled(ws, cost); // 900: at or under the limit
        assertThat(calls).containsExactly("pauseReading", "resumeReading");
        backlog.handled(ws, cost);
        backlog.handled(ws, cost);
        backlog.handled(ws, cost);
        assertThat(calls).containsExactly("pauseReading", "resumeReading");
        assertThat(backlog.waiting()).isZero();
    }

    @Test
    void emptyMessagesCountTooSoTheirBacklogIsBounded() {
        ReadBacklog backlog = new ReadBacklog(() -> 10 * ReadBacklog.MESSAGE_OVERHEAD);
        for (int i = 0; i < 11; i++) {
            backlog.queued(ws, ReadBacklog.cost(0));
        }
        assertThat(calls).containsExactly("pauseReading");
    }

    @Test
    void aLimitRaisedWhilePausedResumesWithTheNextHandledMessage() {
        long[] limit = {500};
        ReadBacklog backlog = new ReadBacklog(() -> limit[0]);
        long cost = ReadBacklog.cost(136); // 200
        for (int i = 0; i < 3; i++) {
            backlog.queued(ws, cost);
        }
        assertThat(calls).containsExactly("pauseReading");
        limit[0] = 10_000;
        backlog.handled(ws, cost);
        assertThat(calls).containsExactly("pauseReading", "resumeReading");
    }
}
