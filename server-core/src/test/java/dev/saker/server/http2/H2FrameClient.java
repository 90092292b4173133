package dev.saker.server.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
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
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY_FLAG = 0x20;

    static final int SETTINGS_HEADER_TABLE_SIZE = 0x1;
    static final int SETTINGS_ENABLE_PUSH = 0x2;
    static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    static final int SETTINGS_MAX_FRAME_SIZE = 0x5;

    /**
     * One frame read from the server; {@code headers} is the decoded field block on the frame
     * that ends it (HEADERS with END_HEADERS, or the last CONTINUATION), else {@code null}.
     */
    record Frame(int type, int flags, int streamId, byte[] payload, Http2Headers headers) {

        boolean is(int frameType, int stream) {
            return type == frameType && streamId == stream;
        }

        boolean hasFlag(int flag) {
            return (flags & flag) != 0;
        }

        /** The error code of a GOAWAY or RST_STREAM frame. */
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16)
                    | ((payload[at + 2] & 0xff) << 8) | (payload[at + 3] & 0xff);
        }
    }

    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** Every field block the server sends goes through it, in order, to keep the HPACK table in step. */
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
    private final ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
    /** SETTINGS frames sent and not yet acknowledged by the server. */
    private int settingsUnacked;

    /** Connects, sends the preface and an empty SETTINGS frame (not flushed yet). */
    H2FrameClient(int port) throws IOException {
        this(port, 0);
    }

    /** Over a socket already connected (and, for h2, past its TLS handshake); queues preface and SETTINGS. */
    H2FrameClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        pending.writeBytes(PREFACE);
        frame(SETTINGS, 0, 0, new byte[0]);
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

    /** Drops what is queued (the preface and SETTINGS included) and queues {@code bytes} instead. */
    H2FrameClient replaceQueued(byte[] bytes) {
        pending.reset();
        pending.writeBytes(bytes);
        settingsUnacked = 0;
        return this;
    }

    /** Queues any frame; {@code streamId} is written as is, reserved bit included. */
    H2FrameClient frame(int type, int flags, int streamId, byte[] payload) {
        pending.write(payload.length >>> 16);
        pending.write(payload.length >>> 8);
        pending.write(payload.length);
        pending.write(type);
        pending.write(flags);
        pending.writeBytes(int32(streamId));
        pending.writeBytes(payload);
        if (type == SETTINGS && (flags & ACK) == 0 && streamId == 0) {
            settingsUnacked++;
        }
        return this;
    }

    /** Queues a HEADERS frame carrying {@code block}. */
    H2FrameClient headers(int streamId, int flags, HpackBlock block) {
        return frame(HEADERS, flags, streamId, block.bytes());
    }

    /** Queues a DATA frame. */
    H2FrameClient data(int streamId, int flags, byte[] payload) {
        return frame(DATA, flags, streamId, payload);
    }

    /** Queues a SETTINGS frame with the given (identifier, value) pairs. */
    H2FrameClient settings(long... idValuePairs) {
        byte[] payload = new byte[idValuePairs.length * 3];
        for (int i = 0; i < idValuePairs.length; i += 2) {
            int at = i * 3;
            payload[at] = (byte) (idValuePairs[i] >>> 8);
            payload[at + 1] = (byte) idValuePairs[i];
            System.arraycopy(int32((int) idValuePairs[i + 1]), 0, payload, at + 2, 4);
        }
        return frame(SETTINGS, 0, 0, payload);
    }

    /** Queues a PRIORITY frame (non-exclusive). */
    H2FrameClient priority(int streamId, int dependsOn, int weight) {
        byte[] payload = new byte[5];
        System.arraycopy(int32(dependsOn), 0, payload, 0, 4);
        payload[4] = (byte) (weight - 1);
        return frame(PRIORITY, 0, streamId, payload);
    }

    /**
     * Flushes what is queued and completes the connection start: reads until the server's SETTINGS
     * and the acknowledgement of every SETTINGS frame sent, then acknowledges the server's.
     *
     * @return the server's SETTINGS frame
     */
    Frame handshake() throws IOException {
        flush();
        Frame serverSettings = null;
        while (serverSettings == null || settingsUnacked > 0) {
            Frame frame = read();
            if (frame == null) {
                throw new IOException("closed by the server during the connection start");
            }
            if (frame.type() == SETTINGS && !frame.hasFlag(ACK)) {
                serverSettings = frame;
            }
        }
        frame(SETTINGS, ACK, 0, new byte[0]).flush();
        return serverSettings;
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

    /**
     * Reads the response on {@code streamId}: its head, the DATA up to END_STREAM and any
     * trailers, skipping frames of other streams and of the connection (a window too small for
     * the answer is the caller's to open).
     *
     * @throws IOException when the stream is reset, the connection goes away or closes first
     */
    Response readResponse(int streamId) throws IOException {
        Http2Headers head = null;
        Http2Headers trailers = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            Frame frame = read();
            if (frame == null) {
                throw new IOException("closed before the response on stream " + streamId + " ended");
            }
            if (frame.type() == GOAWAY || frame.is(RST_STREAM, streamId)) {
                throw new IOException("frame " + frame.type() + " with error " + frame.errorCode()
                        + " before the response on stream " + streamId + " ended");
            }
            if (frame.streamId() != streamId) {
                continue;
            }
            if (frame.headers() != null) {
                if (head == null) {
                    head = frame.headers();
                } else {
                    trailers = frame.headers();
                }
            } else if (frame.type() == DATA) {
                body.writeBytes(frame.payload());
            }
            if ((frame.type() == HEADERS || frame.type() == DATA) && frame.hasFlag(END_STREAM)) {
                return new Response(head, body.toByteArray(), trailers);
            }
        }
    }

    /** A response read from the server. */
    record Response(Http2Headers headers, byte[] body, Http2Headers trailers) {

        String status() {
            return headers.status().toString();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
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
            if (type == SETTINGS && (flags & ACK) != 0) {
                settingsUnacked--;
            }
            return new Frame(type, flags, streamId, payload, fieldBlock(type, flags, streamId, payload));
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

    /** Collects HEADERS and CONTINUATION fragments and decodes the block on END_HEADERS. */
    private Http2Headers fieldBlock(int type, int flags, int streamId, byte[] payload) throws IOException {
        if (type == HEADERS) {
            int from = 0;
            int to = payload.length;
            if ((flags & PADDED) != 0) {
                from = 1;
                to -= payload[0] & 0xff;
            }
            if ((flags & PRIORITY_FLAG) != 0) {
                from += 5;
            }
            headerBlock.reset();
            headerBlock.write(payload, from, to - from);
        } else if (type == CONTINUATION) {
            headerBlock.writeBytes(payload);
        } else {
            return null;
        }
        if ((flags & END_HEADERS) == 0) {
            return null;
        }
        ByteBuf block = Unpooled.wrappedBuffer(headerBlock.toByteArray());
        try {
            return hpack.decodeHeaders(streamId, block);
        } catch (Http2Exception e) {
            throw new IOException("undecodable field block from the server", e);
        } finally {
            block.release();
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
