package dev.saker.server.http2;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP/2 client over a loopback socket: it writes frames byte by byte as told, valid or not
 * (the Netty codec client refuses to send malformed sequences), and reads the server's frames.
 * Frames are queued by the {@code frame}-style methods and go out together on {@link #flush()}.
 */
final class H2FrameClient implements AutoCloseable {

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;

    /** One frame read from the server. */
    record Frame(int type, int flags, int streamId, byte[] payload) {

        /** The error code of a GOAWAY or RST_STREAM frame. */
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16)
                    | ((payload[at + 2] & 0xff) << 8) | (payload[at + 3] & 0xff);
        }
    }

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** Connects, sends the preface and an empty SETTINGS frame (not flushed yet). */
    H2FrameClient(int port) throws IOException {
        this(port, 0);
    }

    /**
     * As {@link #H2FrameClient(int)}, with a small receive buffer when {@code receiveBuffer > 0}: a
     * client that does not read then makes the server queue its frames sooner.
     */
    H2FrameClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        pending.writeBytes(PREFACE);
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** Queues any frame. */
    H2FrameClient frame(int type, int flags, int streamId, byte[] payload) {
        pending.write(payload.length >>> 16);
        pending.write(payload.length >>> 8);
        pending.write(payload.length);
        pending.write(type);
        pending.write(flags);
        pending.writeBytes(int32(streamId & 0x7fffffff));
        pending.writeBytes(payload);
        return this;
    }

    /**
     * Queues a HEADERS frame for {@code GET /} (HPACK: indexed static entries 2, 4, 6 and a literal
     * {@code :authority} without indexing, no Huffman).
     */
    H2FrameClient headers(int streamId, int flags) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82);
        block.write(0x84);
        block.write(0x86);
        block.write(0x01);
        block.write(9);
        block.writeBytes("localhost".getBytes(StandardCharsets.US_ASCII));
        return frame(HEADERS, flags, streamId, block.toByteArray());
    }

    /**
     * Queues a HEADERS frame for any request: every field (pseudo-headers first, as given) a literal
     * without indexing and without Huffman; names and values shorter than 127 bytes.
     * {@code fields} alternate names and values.
     */
    H2FrameClient request(int streamId, int flags, String method, String path, String... fields) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        literal(block, ":method", method);
        literal(block, ":scheme", "http");
        literal(block, ":path", path);
        literal(block, ":authority", "localhost");
        for (int i = 0; i < fields.length; i += 2) {
            literal(block, fields[i], fields[i + 1]);
        }
        return frame(HEADERS, flags | END_HEADERS, streamId, block.toByteArray());
    }

    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0x00);
        for (String s : new String[] {name, value}) {
            byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length >= 127) {
                throw new IllegalArgumentException("too long for this encoder: " + s);
            }
            block.write(bytes.length);
            block.writeBytes(bytes);
        }
    }

    /** Queues a DATA frame. */
    H2FrameClient data(int streamId, boolean endStream, byte[] payload) {
        return frame(DATA, endStream ? END_STREAM : 0, streamId, payload);
    }

    /** Queues a SETTINGS frame with one setting. */
    H2FrameClient settings(int id, int value) {
        byte[] payload = new byte[6];
        payload[0] = (byte) (id >>> 8);
        payload[1] = (byte) id;
        System.arraycopy(int32(value), 0, payload, 2, 4);
        return frame(SETTINGS, 0, 0, payload);
    }

    H2FrameClient ping(long data) {
        byte[] payload = new byte[8];
        for (int i = 0; i < 8; i++) {
            payload[i] = (byte) (data >>> (56 - 8 * i));
        }
        return frame(PING, 0, 0, payload);
    }

    H2FrameClient windowUpdate(int streamId, int increment) {
        return frame(WINDOW_UPDATE, 0, streamId, int32(increment));
    }

    H2FrameClient rstStream(int streamId, int errorCode) {
        return frame(RST_STREAM, 0, streamId, int32(errorCode));
    }

    /** Writes every queued frame. */
    H2FrameClient flush() throws IOException {
        out.write(pending.toByteArray());
        out.flush();
        pending.reset();
        return this;
    }

    /** The next frame, or {@code null} when the server closed the connection. */
    Frame read() throws IOException {
        try {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int streamId = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(type, flags, streamId, payload);
        } catch (EOFException | SocketException closed) {
            return null;
        }
    }

    /**
     * Reads frames until a GOAWAY, which it returns, or the close ({@code null}); fails when the
     * connection stays open without one for the read timeout.
     */
    Frame readUntilGoAway() throws IOException {
        Frame frame;
        while ((frame = read()) != null) {
            if (frame.type() == GOAWAY) {
                return frame;
            }
        }
        return null;
    }

    /** Whether the server closed the connection: reads (and drops) frames until the end of stream. */
    boolean closedByServer() throws IOException {
        try {
            while (read() != null) {
                // frames sent before the close are not of interest here
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        }
    }

    private static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
