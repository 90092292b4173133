package dev.saker.server.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Replays the {@code @FuzzTest} seed corpora without Jazzer's agent unless {@code JAZZER_FUZZ} is
 * set: {@code jazzer.hooks=false} skips installing the agent and its sanitizer hooks, which costs
 * about ten seconds per test JVM and checks nothing our fuzz tests assert. Fuzzing needs the agent
 * for coverage, so with {@code JAZZER_FUZZ} (or an explicit {@code jazzer.hooks}) nothing changes.
 * Registered through the launcher-session-listener service file.
 */
public final class JazzerRegressionSettings implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        boolean fuzzing = System.getenv("JAZZER_FUZZ") != null || System.getProperty("JAZZER_FUZZ") != null;
        boolean explicit = System.getenv("JAZZER_HOOKS") != null || System.getProperty("jazzer.hooks") != null;
        if (!fuzzing && !explicit) {
            System.setProperty("jazzer.hooks", "false");
        }
    }
}
