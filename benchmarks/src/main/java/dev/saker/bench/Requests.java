package dev.saker.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** The request and response bytes the micro benchmarks share. */
final class Requests {

    /** A GET as a current desktop browser sends it: about 300 bytes, keep-alive. */
    static final String BROWSER_GET = "GET /plaintext HTTP/1.1\r\n"
            + "Host: localhost:8080\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Connection: keep-alive\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "\r\n";

    private Requests() {
    }

    /** What one socket read hands the pipeline: a fresh pooled buffer holding {@code bytes}. */
    static ByteBuf read(ByteBufAllocator alloc, byte[] bytes) {
        return alloc.ioBuffer(bytes.length).writeBytes(bytes);
    }

    /** Reads and releases everything the channel wrote, as Latin-1 text (setup checks only). */
    static String outboundText(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            text.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        return text.toString();
    }

    /** Reads and releases everything the channel wrote. */
    static int drainOutbound(EmbeddedChannel channel) {
        int bytes = 0;
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            bytes += out.readableBytes();
            out.release();
        }
        return bytes;
    }
}
