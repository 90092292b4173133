package dev.saker.websocket.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JDK's WebSocket client with what it receives queued for a test to take, in order. */
public final class JdkClient implements WebSocket.Listener, AutoCloseable {

    /** One thing the client received. */
    public record Event(String kind, String text, byte[] data, int code) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocket socket;

    public static JdkClient connect(String url, String... subprotocols) throws Exception {
        JdkClient client = new JdkClient();
        WebSocket.Builder builder = client.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        client.socket = builder.buildAsync(URI.create(url), client).get(10, TimeUnit.SECONDS);
        return client;
    }

    public WebSocket socket() {
        return socket;
    }

    public void send(String message) throws Exception {
        socket.sendText(message, true).get(10, TimeUnit.SECONDS);
    }

    public void sendBinary(byte[] data) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
    }

    /** @return the next event, failing after 10 seconds */
    public Event next() throws InterruptedException {
        Event e = events.poll(10, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("nothing received within 10 s");
        }
        return e;
    }

    public String nextText() throws InterruptedException {
        Event e = next();
        if (!e.kind().equals("text")) {
            throw new AssertionError("expected a text message, got " + e);
        }
        return e.text();
    }

    /** @return the close code the server sent */
    public int closeCode() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
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
            events.add(new Event("binary", null, binary.toByteArray(), 0));
            binary.reset();
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.duplicate().get(bytes);
        events.add(new Event("ping", null, bytes, 0));
        return WebSocket.Listener.super.onPing(webSocket, message);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        events.add(new Event("pong", null, bytes, 0));
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add(new Event("close", reason, null, statusCode));
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Event("error", String.valueOf(error), null, 0));
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
