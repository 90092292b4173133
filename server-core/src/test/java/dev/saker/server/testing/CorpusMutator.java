package dev.saker.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The bounded fuzzing run of the normal build. Jazzer's coverage-guided mode needs a JVM of its own
 * for each fuzz test ({@code JAZZER_FUZZ} is read once per JVM, and only one fuzz test fuzzes per
 * run), so the build instead feeds a fuzz test a fixed number of inputs made by mutating its seed
 * corpus (the {@code <Test>Inputs/<method>} resources Jazzer replays) with a seeded random: the
 * same inputs on every run, within a time cap. A failure names the input in Base64; decode it into
 * the corpus directory to keep it as a regression seed.
 */
public final class CorpusMutator {

    /** A fuzz test method taking the raw input. */
    public interface Target {
        void run(byte[] input) throws Exception;
    }

    private static final int MAX_LENGTH = 4096;
    private static final int RECENT = 64;
    private static final byte[] BYTES = "\0\t\r\n \"%&+,-./0:;=?F\\af\u007f".getBytes(StandardCharsets.ISO_8859_1);
    private static final String[] TOKENS = {"\r\n", "\r\n\r\n", "%", "%2F", "%00", "%C3%A9", "%zz", "/..", "//",
        "HTTP/1.1", "Host: a", "Content-Length: ", "Transfer-Encoding: chunked", "0\r\n\r\n", "ffffffffffffffff",
        "\r\n--", "boundary=", "Content-Disposition: form-data; name=\"", "; filename=\"", "charset=", "\u00e9",
        "\u00c3\u00a9", "\u00ff"};

    private final Random random;
    private final List<byte[]> seeds;
    private final List<byte[]> recent = new ArrayList<>();

    private CorpusMutator(long seed, List<byte[]> seeds) {
        this.random = new Random(seed);
        this.seeds = seeds;
    }

    /**
     * Runs {@code target} on {@code executions} mutants of its seeds, or as many as {@code maxMillis}
     * allow (the seeds themselves are Jazzer's regression run).
     *
     * @return the number of mutants run
     */
    public static int run(Class<?> fuzzTest, String method, Target target, int executions, long maxMillis) {
        List<byte[]> seeds = seeds(fuzzTest, method);
        CorpusMutator mutator = new CorpusMutator((fuzzTest.getName() + "#" + method).hashCode(), seeds);
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        int n = 0;
        while (n < executions && System.nanoTime() < deadline) {
            runOne(target, mutator.next());
            n++;
        }
        return n;
    }

    private static void runOne(Target target, byte[] input) {
        try {
            target.run(input.clone());
        } catch (Exception | Error e) {
            throw new AssertionError("fuzz input (Base64) " + Base64.getEncoder().encodeToString(input) + " failed", e);
        }
    }

    private byte[] next() {
        byte[] base = !recent.isEmpty() && random.nextBoolean()
                ? recent.get(random.nextInt(recent.size())) : seeds.get(random.nextInt(seeds.size()));
        byte[] input = base;
        for (int i = random.nextInt(4); i >= 0; i--) {
            input = mutate(input);
        }
        if (input.length > MAX_LENGTH) {
            input = Arrays.copyOf(input, MAX_LENGTH);
        }
        if (recent.size() < RECENT) {
            recent.add(input);
        } else {
            recent.set(random.nextInt(RECENT), input);
        }
        return input;
    }

    private byte[] mutate(byte[] in) {
        // One mutation in four lands on the control bytes up front.
        int at = in.length == 0 ? 0
                : random.nextInt(Math.min(random.nextInt(4) == 0 ? 3 : in.length, in.length));
        switch (in.length == 0 ? 3 : random.nextInt(8)) {
            case 0:
                return with(in, at, (byte) (in[at] ^ (1 << random.nextInt(8))));
            case 1:
                return with(in, at, (byte) random.nextInt(256));
            case 2:
                return with(in, at, BYTES[random.nextInt(BYTES.length)]);
            case 3:
                return insert(in, at, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1));
            case 4:
                return remove(in, at, 1 + random.nextInt(Math.min(16, in.length - at)));
            case 5: {
                int from = random.nextInt(in.length);
                int len = 1 + random.nextInt(Math.min(32, in.length - from));
                return insert(in, at, Arrays.copyOfRange(in, from, from + len));
            }
            case 6: {
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int from = other.length == 0 ? 0 : random.nextInt(other.length);
                byte[] out = Arrays.copyOf(in, at + other.length - from);
                System.arraycopy(other, from, out, at, other.length - from);
                return out;
            }
            default:
                return remove(in, at, in.length - at);
        }
    }

    private static byte[] with(byte[] in, int at, byte b) {
        byte[] out = in.clone();
        out[at] = b;
        return out;
    }

    private static byte[] insert(byte[] in, int at, byte[] bytes) {
        byte[] out = new byte[in.length + bytes.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(in, at, out, at + bytes.length, in.length - at);
        return out;
    }

    private static byte[] remove(byte[] in, int at, int length) {
        byte[] out = new byte[in.length - length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + length, out, at, in.length - at - length);
        return out;
    }

    /** The empty input and every file under the fuzz test's inputs directory, in name order. */
    static List<byte[]> seeds(Class<?> fuzzTest, String method) {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(new byte[0]);
        URL dir = fuzzTest.getResource(fuzzTest.getSimpleName() + "Inputs/" + method);
        if (dir == null) {
            return seeds;
        }
        try (Stream<Path> files = Files.walk(Path.of(dir.toURI()))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                seeds.add(Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return seeds;
    }
}
