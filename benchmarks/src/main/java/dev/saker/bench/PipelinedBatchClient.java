package dev.saker.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a fixed number of pipelined batches on one keep-alive connection and reads every response
 * of a batch before sending the next, so a server under {@code strace -c} can be charged a known
 * number of batches. Prints the batches, responses and elapsed time.
 *
 * <p>Usage: {@code PipelinedBatchClient port batches depth [path]} (loopback only).
 */
public final class PipelinedBatchClient {

    private PipelinedBatchClient() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int batches = Integer.parseInt(args[1]);
        int depth = Integer.parseInt(args[2]);
        String path = args.length > 3 ? args[3] : "/plaintext";
        byte[] one = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] batch = new byte[one.length * depth];
        for (int i = 0; i < depth; i++) {
            System.arraycopy(one, 0, batch, i * one.length, one.length);
        }
        long start = System.nanoTime();
        long responses = 0;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            ResponseCounter counter = new ResponseCounter(socket.getInputStream());
            for (int b = 0; b < batches; b++) {
                out.write(batch);
                out.flush();
                responses += counter.await(depth);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("batches=" + batches + " depth=" + depth + " responses=" + responses + " ms=" + millis);
    }

    /** Counts whole responses (head, then a Content-Length body) on a stream. */
    private static final class ResponseCounter {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int start;
        private int end;

        ResponseCounter(InputStream in) {
            this.in = in;
        }

        int await(int count) throws IOException {
            for (int i = 0; i < count; i++) {
                int headEnd;
                while ((headEnd = indexOfHeadEnd()) < 0) {
                    fill();
                }
                String head = new String(buf, start, headEnd - start, StandardCharsets.ISO_8859_1);
                if (!head.startsWith("HTTP/1.1 200")) {
                    throw new IOException("unexpected response: " + head);
                }
                int length = contentLength(head);
                start = headEnd;
                while (end - start < length) {
                    fill();
                }
                start += length;
            }
            return count;
        }

        private int indexOfHeadEnd() {
            for (int i = start; i + 3 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                    return i + 4;
                }
            }
            return -1;
        }

        private void fill() throws IOException {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                throw new IOException("connection closed by the server");
            }
            end += n;
        }

        private static int contentLength(String head) throws IOException {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                }
            }
            throw new IOException("response without Content-Length: " + head);
        }
    }
}
