package dev.saker.reactive.socket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The JDK's WebSocket client for the tests, with what it receives queued in order. With
 * {@code demand} false it asks for nothing until {@link #request} is called, so the server meets a
 * client that does not read (the JDK client reads the socket only while it has demand).
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    /** One message (text or binary) or the close. */
    record Event(String kind, String text, byte[] data, int code) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    private final CompletableFuture<Event> closed = new CompletableFuture<>();
    private final boolean demand;
    final AtomicLong received = new AtomicLong();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocket socket;

    private WsClient(boolean demand) {
        this.demand = demand;
    }

    static WsClient connect(int port, String path) throws Exception {
        return connect(port, path, true, Map.of(), List.of());
    }

    static WsClient connect(int port, String path, boolean demand, Map<String, String> headers,
            List<String> subprotocols) throws Exception {
        WsClient client = new WsClient(demand);
        WebSocket.Builder builder = client.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        client.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + path), client).get(10, TimeUnit.SECONDS);
        return client;
    }

    WebSocket socket() {
        return socket;
    }

    void send(String message) throws Exception {
        socket.sendText(message, true).get(10, TimeUnit.SECONDS);
    }

    void request(long n) {
        socket.request(n);
    }

    Event next() throws InterruptedException {
        Event e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("nothing received within 10 s");
        }
        return e;
    }

    String nextText() throws InterruptedException {
        Event e = next();
        if (!e.kind().equals("text")) {
            throw new AssertionError("expected a text message, got " + e);
        }
        return e.text();
    }

    /** @return the close frame the server sent (code, reason in {@code text}) */
    Event closeFrame() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (demand) {
            webSocket.request(Long.MAX_VALUE);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            received.incrementAndGet();
            events.add(new Event("text", text.toString(), null, 0));
            text.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last) {
            received.incrementAndGet();
            events.add(new Event("binary", null, binary.toByteArray(), 0));
            binary.reset();
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Event("close", reason, null, statusCode));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
