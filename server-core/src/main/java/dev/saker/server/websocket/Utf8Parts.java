package dev.saker.server.websocket;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a text message delivered in parts: a frame may end inside a UTF-8 sequence, whose first
 * bytes wait for the next part. The bytes were validated as UTF-8 on the way in.
 */
final class Utf8Parts {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** At most three bytes of an unfinished sequence. */
    private final byte[] carry = new byte[4];
    private int carried;

    String decode(ByteBuf data, boolean last) {
        int length = carried + data.readableBytes();
        byte[] bytes = new byte[length];
        System.arraycopy(carry, 0, bytes, 0, carried);
        data.getBytes(data.readerIndex(), bytes, carried, data.readableBytes());
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(length);
        CoderResult result = decoder.decode(in, out, last);
        if (result.isError()) {
            throw new IllegalStateException("invalid UTF-8 passed validation: " + result);
        }
        if (last) {
            decoder.flush(out);
            decoder.reset();
        }
        carried = in.remaining();
        in.get(carry, 0, carried);
        out.flip();
        return out.toString();
    }

    void reset() {
        decoder.reset();
        carried = 0;
    }

}
