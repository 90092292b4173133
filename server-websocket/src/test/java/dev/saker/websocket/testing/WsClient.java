package dev.saker.websocket.testing;

import dev.saker.server.testing.WsFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A raw WebSocket client over a loopback socket: sends the opening handshake with the fields a
 * test wants, masked frames, and reads the status and the server's frames one by one.
 */
public final class WsClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private String head;

    private WsClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects and sends a handshake for {@code path} with {@code extraFields} (lines without CRLF). */
    public static WsClient handshake(int port, String path, String... extraFields) throws IOException {
        WsClient client = new WsClient(new Socket("127.0.0.1", port));
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        boolean custom = false;
        for (String field : extraFields) {
            custom |= field.regionMatches(true, 0, "Sec-WebSocket-Version", 0, 21);
        }
        request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
        request.append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(new byte[16])).append("\r\n");
        if (!custom) {
            request.append("Sec-WebSocket-Version: 13\r\n");
        }
        for (String field : extraFields) {
            request.append(field).append("\r\n");
        }
        request.append("\r\n");
        client.out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        client.out.flush();
        client.head = client.readHead();
        return client;
    }

    /** @return the status of the handshake's response */
    public int status() {
        return Integer.parseInt(head.substring(9, 12));
    }

    /** @return the response head (status line and fields) */
    public String head() {
        return head;
    }

    public WsClient send(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
        return this;
    }

    public WsClient text(String text) throws IOException {
        return send(WsFrames.frame(true, WsFrames.TEXT, WsFrames.utf8(text)));
    }

    /** Reads the next frame the server sent. */
    public WsFrames.Frame read() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = (readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new IOException("the connection closed inside a frame");
        }
        return new WsFrames.Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0f, (b1 & 0x80) != 0, payload);
    }

    /** @return whether the server closed the connection (EOF) */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("the connection closed");
        }
        return b;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = readByte();
            bytes.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
