package dev.kemi.tests.websocket;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A SIP-over-WebSocket phone for tests: the JDK's RFC 6455 client (java.net.http.WebSocket),
 * sub-protocol "sip", from a loopback address of the test's choosing. It writes SIP messages
 * as text and queues what it receives; Pings it gets are counted (the JDK answers them).
 */
final class WsPhone implements AutoCloseable {
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> pings = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;
    private final HttpClient client;

    /** @param tls the client context for a wss: url, else null */
    WsPhone(String localIp, String url, javax.net.ssl.SSLContext tls) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().localAddress(InetAddress.getByName(localIp));
        if (tls != null) b.sslContext(tls);
        client = b.build();
        ws = client.newWebSocketBuilder().subprotocols("sip").connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), new Listener()).get(10, TimeUnit.SECONDS);
    }

    /** The sub-protocol the server chose. */
    String subprotocol() {
        return ws.getSubprotocol();
    }

    void send(String sip) throws Exception {
        ws.sendText(sip, true).get(5, TimeUnit.SECONDS);
    }

    /** The next message received, or null after the wait. */
    String receive(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next message starting with {@code prefix} ("SIP/2.0 200", "INVITE "), skipping others; null after the wait. */
    String await(String prefix, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            String m = receive(Duration.ofNanos(deadline - System.nanoTime()));
            if (m != null && m.startsWith(prefix)) return m;
        }
        return null;
    }

    /** The payload of the next Ping, or null after the wait. */
    String awaitPing(Duration wait) throws InterruptedException {
        return pings.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ws.abort();
        client.close();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            received.add(StandardCharsets.UTF_8.decode(data).toString());
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket w, ByteBuffer message) {
            pings.add(StandardCharsets.UTF_8.decode(message).toString());
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.complete(1006); // ended without a Close frame
        }
    }
}
