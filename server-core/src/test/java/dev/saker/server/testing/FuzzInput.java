package dev.saker.server.testing;

import java.util.Arrays;

/**
 * A fuzz input split into a few control bytes up front (configuration choices, where to split the
 * payload into reads) and the payload after them. Control bytes are read XOR {@code '0'}, so the
 * ASCII digit {@code '0'} (and a missing byte) is 0, which every fuzz test maps to its defaults, and
 * a seed file stays readable: {@code 000GET / HTTP/1.1...}; {@code '1'} sets bit 0, {@code '2'}
 * bit 1, {@code '4'} bit 2 and {@code '8'} bit 3.
 */
public final class FuzzInput {

    private static final int DEFAULTS = '0';

    private final int[] control;
    private final byte[] payload;

    private FuzzInput(int[] control, byte[] payload) {
        this.control = control;
        this.payload = payload;
    }

    /** Splits {@code data} into {@code controlBytes} control bytes and the payload. */
    public static FuzzInput of(byte[] data, int controlBytes) {
        int[] control = new int[controlBytes];
        int n = Math.min(controlBytes, data.length);
        for (int i = 0; i < n; i++) {
            control[i] = (data[i] & 0xFF) ^ DEFAULTS;
        }
        return new FuzzInput(control, Arrays.copyOfRange(data, n, data.length));
    }

    /** @return control byte {@code index} XOR {@code '0'}, 0-255 */
    public int control(int index) {
        return control[index];
    }

    /** @return one of four options, picked by the two bits of control byte {@code index} at {@code shift} */
    public int pick(int index, int shift, int... options) {
        if (options.length != 4) {
            throw new IllegalArgumentException("two bits pick one of four options");
        }
        return options[(control[index] >>> shift) & 3];
    }

    /** @return whether bit {@code bit} of control byte {@code index} is set */
    public boolean flag(int index, int bit) {
        return (control[index] & (1 << bit)) != 0;
    }

    public byte[] payload() {
        return payload;
    }

    /** Cut points for feeding the payload in reads; see {@link #cuts(int, int, int)}. */
    public int[] cuts(int firstIndex, int pieceIndex) {
        return cuts(payload.length, firstIndex, pieceIndex);
    }

    /**
     * Cut points in (0, length) for feeding {@code length} bytes in reads: a first read ending at a
     * point chosen by control byte {@code firstIndex}, then reads of a size chosen by control byte
     * {@code pieceIndex} (1-64 bytes).
     */
    public int[] cuts(int length, int firstIndex, int pieceIndex) {
        if (length < 2) {
            return new int[0];
        }
        int first = 1 + control[firstIndex] % (length - 1);
        int piece = 1 + control[pieceIndex] % 64;
        int[] cuts = new int[1 + (length - 1 - first) / piece];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = first + i * piece;
        }
        return cuts;
    }

    /** @return a single cut at the point chosen by control byte {@code index}, or none for short payloads */
    public int[] singleCut(int index) {
        return payload.length < 2 ? new int[0] : new int[] {1 + control[index] % (payload.length - 1)};
    }
}
