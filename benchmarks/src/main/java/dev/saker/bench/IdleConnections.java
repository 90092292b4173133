package dev.saker.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens N keep-alive connections to a server, sends one {@code GET /plaintext} on each and reads
 * its response, then holds them all idle for the hold time (or until killed).
 * Prints {@code ready N} once every connection has had its answer. Loopback only.
 *
 * <p>Usage: {@code IdleConnections port connections holdSeconds}.
 */
public final class IdleConnections {

    private static final int BATCH = 500;

    private IdleConnections() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        long holdMillis = Long.parseLong(args[2]) * 1000;
        byte[] request = ("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Socket> sockets = new ArrayList<>(count);
        try {
            // In batches: connect and send on each, then read each answer.
            for (int from = 0; from < count; from += BATCH) {
                int to = Math.min(count, from + BATCH);
                for (int i = from; i < to; i++) {
                    Socket socket = new Socket();
                    sockets.add(socket);
                    socket.setSoTimeout(10_000);
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    socket.getOutputStream().write(request);
                }
                for (int i = from; i < to; i++) {
                    readResponse(sockets.get(i).getInputStream());
                }
            }
            System.out.println("ready " + sockets.size());
            System.out.flush();
            Thread.sleep(holdMillis);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Reads one response with a Content-Length body. */
    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                break;
            }
        }
        if (b < 0 || !head.toString().startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected response: " + head);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        in.readNBytes(length);
    }
}
