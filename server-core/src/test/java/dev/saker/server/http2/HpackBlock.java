package dev.saker.server.http2;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an HPACK field block (RFC 7541) exactly as told, in the order given and without any
 * check, so tests can send blocks a real encoder would refuse: uppercase names, pseudo-header
 * fields after regular ones, bad indexes, table size updates anywhere. Strings are never Huffman
 * coded; names and values are ASCII.
 */
final class HpackBlock {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /**
     * The head of a valid request: {@code :method}, {@code :scheme http}, {@code :path} and
     * {@code :authority localhost} (the first three from the static table when they are there).
     */
    static HpackBlock request(String method, String path) {
        HpackBlock block = new HpackBlock();
        switch (method) {
            case "GET" -> block.indexed(2);
            case "POST" -> block.indexed(3);
            default -> block.literal(":method", method);
        }
        block.indexed(6);
        if (path.equals("/")) {
            block.indexed(4);
        } else {
            block.literalIndexedName(4, path);
        }
        return block.literalIndexedName(1, "localhost");
    }

    /** An indexed field (RFC 7541 §6.1). */
    HpackBlock indexed(int index) {
        integer(0x80, 7, index);
        return this;
    }

    /** A literal field without indexing whose name is the table entry {@code index} (§6.2.2). */
    HpackBlock literalIndexedName(int index, String value) {
        integer(0x00, 4, index);
        string(value);
        return this;
    }

    /** A literal field without indexing with a literal name (§6.2.2). */
    HpackBlock literal(String name, String value) {
        out.write(0x00);
        string(name);
        string(value);
        return this;
    }

    /** A dynamic table size update (§6.3). */
    HpackBlock tableSizeUpdate(int size) {
        integer(0x20, 5, size);
        return this;
    }

    /** Bytes as they are, for what the methods above cannot write. */
    HpackBlock raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    /** Another block's bytes, appended. */
    HpackBlock append(HpackBlock other) {
        out.writeBytes(other.bytes());
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private void string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        integer(0x00, 7, bytes.length);
        out.writeBytes(bytes);
    }

    /** An integer with an N-bit prefix (§5.1), its first byte or-ed into {@code pattern}. */
    private void integer(int pattern, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(pattern | value);
            return;
        }
        out.write(pattern | max);
        value -= max;
        while (value >= 0x80) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }
}
