package dev.saker.server.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a leaked buffer during it. Registered for every test through
 * the JUnit extension service file; tests run with {@code -Dio.netty.leakDetection.level=paranoid},
 * so every buffer is tracked. After each class it collects garbage and allocates, which makes Netty
 * notice and report buffers that were dropped without release.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    private static final List<String> LEAKS = new ArrayList<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> found = collect();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " Netty buffer leak(s) reported during "
                    + context.getDisplayName() + ":\n" + String.join("\n----\n", found));
        }
    }

    /** Forces leak reporting now and returns (and forgets) what was reported. */
    public static List<String> collect() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            System.runFinalization();
            // Leaks are reported when a tracked allocation notices the reference queue.
            for (int j = 0; j < 64; j++) {
                io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
                io.netty.buffer.PooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
                io.netty.buffer.UnpooledByteBufAllocator.DEFAULT.directBuffer(16).release();
            }
        }
        synchronized (LEAKS) {
            List<String> copy = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }

    private static void record(String report) {
        synchronized (LEAKS) {
            LEAKS.add(report);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record("LEAK " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record("LEAK " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
