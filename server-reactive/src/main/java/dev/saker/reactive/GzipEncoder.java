package dev.saker.reactive;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Streams a body through gzip (RFC 1952): the header before the first bytes, deflated pieces, and
 * the CRC-32 and length trailer at the end. Fed serially (one body's signals); {@link #end()} frees
 * the native deflater whatever happened.
 */
final class GzipEncoder {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final DataBufferFactory factory;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[8192];
    private boolean headerWritten;
    private boolean ended;

    GzipEncoder(DataBufferFactory factory) {
        this.factory = factory;
    }

    /** Compresses {@code input} (released); with {@code flush}, all of it is in the returned bytes (SYNC_FLUSH). */
    synchronized DataBuffer encode(DataBuffer input, boolean flush) {
        byte[] bytes = new byte[input.readableByteCount()];
        input.read(bytes);
        DataBufferUtils.release(input);
        ByteArrayOutputStream out = start();
        crc.update(bytes);
        deflater.setInput(bytes);
        drain(out, flush ? Deflater.SYNC_FLUSH : Deflater.NO_FLUSH);
        return factory.wrap(out.toByteArray());
    }

    /** Pushes out what the deflater holds (SYNC_FLUSH), for a flush point with no new input. */
    synchronized DataBuffer flush() {
        ByteArrayOutputStream out = start();
        drain(out, Deflater.SYNC_FLUSH);
        return factory.wrap(out.toByteArray());
    }

    /** @return the rest of the compressed stream and the trailer */
    synchronized DataBuffer finish() {
        ByteArrayOutputStream out = start();
        deflater.finish();
        while (!deflater.finished()) {
            int n = deflater.deflate(scratch);
            out.write(scratch, 0, n);
        }
        writeIntLe(out, (int) crc.getValue());
        writeIntLe(out, (int) deflater.getBytesRead());
        return factory.wrap(out.toByteArray());
    }

    /** Frees the deflater's native memory; safe to call more than once. */
    synchronized void end() {
        if (!ended) {
            ended = true;
            deflater.end();
        }
    }

    private ByteArrayOutputStream start() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (!headerWritten) {
            headerWritten = true;
            out.writeBytes(HEADER);
        }
        return out;
    }

    private void drain(ByteArrayOutputStream out, int flushMode) {
        while (true) {
            int n = deflater.deflate(scratch, 0, scratch.length, flushMode);
            out.write(scratch, 0, n);
            // With a flush the deflater is done once it leaves room in the output; without, once it wants input.
            if (flushMode == Deflater.NO_FLUSH ? deflater.needsInput() : n < scratch.length) {
                return;
            }
        }
    }

    private static void writeIntLe(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }
}
