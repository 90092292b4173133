package dev.saker.server.http1;

import dev.saker.server.http.HttpHeaders;
import dev.saker.server.http.HttpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Writes response heads and chunk framing into buffers. Status lines and the engine's own fields
 * are precomputed bytes; application fields are written char by char (Latin-1), so encoding a head
 * allocates nothing but the pooled buffer it writes into.
 */
final class ResponseEncoder {

    /** Framing of a response body: a length, chunked, or none (bodyless status, HEAD, or close-delimited). */
    static final long CHUNKED = -1;
    static final long NO_LENGTH = -2;

    static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] HEX_DIGITS = ascii("0123456789abcdef");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED_FIELD = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE_FIELD = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE_FIELD = ascii("Connection: keep-alive\r\n");
    private static final byte[] UPGRADE_FIELD = ascii("Connection: Upgrade\r\n");
    private static final byte[][] STATUS_LINES = new byte[600][];

    static {
        for (int status = 100; status < 600; status++) {
            STATUS_LINES[status] = ascii("HTTP/1.1 " + status + " " + HttpStatus.reasonPhrase(status) + "\r\n");
        }
    }

    private ResponseEncoder() {
    }

    /**
     * @param framing a content length (&gt;= 0), {@link #CHUNKED} or {@link #NO_LENGTH}
     * @param connection {@code CLOSE_FIELD}-style choice: 1 close, 2 keep-alive (HTTP/1.0), 3 upgrade, 0 nothing
     * @param dateLine the loop's current {@code Date: ...\r\n}
     * @param serverLine {@code Server: ...\r\n}, or {@code null}
     * @return the head size in bytes
     */
    static int encodeHead(ByteBuf out, int status, HttpHeaders headers, long framing, int connection,
                          byte[] dateLine, byte[] serverLine) {
        int start = out.writerIndex();
        out.writeBytes(STATUS_LINES[status]);
        boolean hasDate = false;
        boolean hasServer = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.name(i);
            switch (name.length()) {
                case 4:
                    hasDate |= name.equalsIgnoreCase("Date");
                    break;
                case 6:
                    hasServer |= name.equalsIgnoreCase("Server");
                    break;
                case 10:
                    if (name.equalsIgnoreCase("Connection")) {
                        continue;
                    }
                    break;
                case 14:
                    if (name.equalsIgnoreCase("Content-Length")) {
                        continue;
                    }
                    break;
                case 17:
                    if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        continue;
                    }
                    break;
                default:
                    break;
            }
            ByteBufUtil.writeAscii(out, name);
            out.writeByte(':').writeByte(' ');
            ByteBufUtil.writeAscii(out, headers.value(i));
            out.writeBytes(CRLF);
        }
        if (!hasDate) {
            out.writeBytes(dateLine);
        }
        if (!hasServer && serverLine != null) {
            out.writeBytes(serverLine);
        }
        if (framing >= 0) {
            out.writeBytes(CONTENT_LENGTH);
            writeDecimal(out, framing);
            out.writeBytes(CRLF);
        } else if (framing == CHUNKED) {
            out.writeBytes(CHUNKED_FIELD);
        }
        if (connection == 1) {
            out.writeBytes(CLOSE_FIELD);
        } else if (connection == 2) {
            out.writeBytes(KEEP_ALIVE_FIELD);
        } else if (connection == 3) {
            out.writeBytes(UPGRADE_FIELD);
        }
        out.writeBytes(CRLF);
        return out.writerIndex() - start;
    }

    /** Writes {@code size} as a chunk-size line. */
    static void chunkHeader(ByteBuf out, int size) {
        int shift = 28;
        while (shift > 0 && (size >>> shift) == 0) {
            shift -= 4;
        }
        for (; shift >= 0; shift -= 4) {
            out.writeByte(HEX_DIGITS[(size >>> shift) & 0xF]);
        }
        out.writeBytes(CRLF);
    }

    static void crlf(ByteBuf out) {
        out.writeBytes(CRLF);
    }

    /** Writes the last chunk and trailer fields. */
    static void lastChunk(ByteBuf out, HttpHeaders trailers) {
        if (trailers == null || trailers.size() == 0) {
            out.writeBytes(LAST_CHUNK);
            return;
        }
        out.writeByte('0').writeBytes(CRLF);
        for (int i = 0; i < trailers.size(); i++) {
            ByteBufUtil.writeAscii(out, trailers.name(i));
            out.writeByte(':').writeByte(' ');
            ByteBufUtil.writeAscii(out, trailers.value(i));
            out.writeBytes(CRLF);
        }
        out.writeBytes(CRLF);
    }

    static void writeDecimal(ByteBuf out, long value) {
        if (value == 0) {
            out.writeByte('0');
            return;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        int at = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (long v = value; v > 0; v /= 10) {
            out.setByte(--at, (int) ('0' + v % 10));
        }
        out.writerIndex(out.writerIndex() + digits);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
