package dev.kemi.tests.uac;

import dev.kemi.tests.SipWire;
import dev.kemi.tests.UdpSipClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** A UDP user agent on one loopback address of the uac tests' block, talking to the proxy. */
final class UacPeer implements AutoCloseable {
    private final UdpSipClient client;

    UacPeer(String ip, InetSocketAddress proxy) {
        try {
            client = new UdpSipClient(proxy, InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    String host() {
        return client.localHost();
    }

    int port() {
        return client.localPort();
    }

    String hostPort() {
        return host() + ":" + port();
    }

    void send(String text) {
        client.sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next message matching, skipping others (100 Trying ...); fails after 5 s. */
    SipWire await(String what, Predicate<SipWire> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String text = client.receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (text == null) break;
            SipWire m = SipWire.parse(text);
            if (match.test(m)) return m;
            seen.append(m.firstLine()).append(" | ");
        }
        throw new AssertionError("no " + what + " at " + hostPort() + " within 5 s (saw: " + seen + ")");
    }

    SipWire awaitRequest(String method) {
        return await(method, m -> !m.isResponse() && m.method().equals(method));
    }

    SipWire awaitStatus(int code) {
        return await(code + " reply", m -> m.isResponse() && m.status() == code);
    }

    /** A reply to a received request: its Via, From, To (with a tag if given and none), Call-ID, CSeq and Record-Route copied. */
    String reply(SipWire req, int code, String reason, String toTag, String... extra) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (String v : req.headers("Via")) b.append("Via: ").append(v).append("\r\n");
        b.append("From: ").append(req.header("From")).append("\r\n");
        String to = req.header("To");
        b.append("To: ").append(to).append(toTag != null && !to.contains(";tag=") ? ";tag=" + toTag : "").append("\r\n");
        b.append("Call-ID: ").append(req.header("Call-ID")).append("\r\n");
        b.append("CSeq: ").append(req.header("CSeq")).append("\r\n");
        for (String v : req.headers("Record-Route")) b.append("Record-Route: ").append(v).append("\r\n");
        for (String e : extra) b.append(e).append("\r\n");
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
