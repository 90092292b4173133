package dev.saker.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * A raw WebSocket frame client's toolbox (RFC 6455 §5.2): builds client frames byte by byte (masked
 * or not, any reserved bits and opcode, so tests can break every rule) and parses the server's.
 */
public final class WsFrames {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private WsFrames() {
    }

    /** A masked client frame. */
    public static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, true, payload);
    }

    /** Any frame: {@code rsv} is the three reserved bits (0 to 7), {@code masked} whether to mask. */
    public static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        int length = payload.length;
        if (length < 126) {
            out.write(maskBit | length);
        } else if (length < 65536) {
            out.write(maskBit | 126);
            out.write(length >>> 8);
            out.write(length);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) length >>> shift));
            }
        }
        if (masked) {
            out.write(MASK, 0, 4);
            for (int i = 0; i < length; i++) {
                out.write(payload[i] ^ MASK[i & 3]);
            }
        } else {
            out.write(payload, 0, length);
        }
        return out.toByteArray();
    }

    public static byte[] text(String text) {
        return frame(true, TEXT, utf8(text));
    }

    /** A masked close frame with {@code code} and {@code reason}. */
    public static byte[] close(int code, String reason) {
        byte[] r = utf8(reason);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        return frame(true, CLOSE, payload);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    /** Raw deflate of {@code data} as permessage-deflate sends it: a sync flush, its 4-byte tail removed. */
    public static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(chunk, 0, n);
        }
        deflater.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
    }

    /** A frame the server sent. */
    public record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** @return the close code of a close frame, or -1 when it has none */
        public int closeCode() {
            return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }

        public String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** Parses every whole frame in {@code bytes}; a trailing partial frame is an error. */
    public static List<Frame> parse(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        int i = 0;
        while (i < bytes.length) {
            int b0 = bytes[i++] & 0xff;
            int b1 = bytes[i++] & 0xff;
            long length = b1 & 0x7f;
            if (length == 126) {
                length = ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
                i += 2;
            } else if (length == 127) {
                length = 0;
                for (int k = 0; k < 8; k++) {
                    length = (length << 8) | (bytes[i++] & 0xff);
                }
            }
            boolean masked = (b1 & 0x80) != 0;
            byte[] mask = null;
            if (masked) {
                mask = Arrays.copyOfRange(bytes, i, i + 4);
                i += 4;
            }
            byte[] payload = Arrays.copyOfRange(bytes, i, i + (int) length);
            if (masked) {
                for (int k = 0; k < payload.length; k++) {
                    payload[k] ^= mask[k & 3];
                }
            }
            i += (int) length;
            frames.add(new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0xf, masked, payload));
        }
        return frames;
    }

    /** Reads one frame from a socket's stream, or {@code null} at end of stream. */
    public static Frame read(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = readByte(in);
        long length = b1 & 0x7f;
        if (length == 126) {
            length = (readByte(in) << 8) | readByte(in);
        } else if (length == 127) {
            length = 0;
            for (int k = 0; k < 8; k++) {
                length = (length << 8) | readByte(in);
            }
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server masked a frame");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new IOException("end of stream inside a frame");
        }
        return new Frame((b0 & 0x80) != 0, (b0 >>> 4) & 7, b0 & 0xf, false, payload);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("end of stream inside a frame header");
        }
        return b;
    }
}
