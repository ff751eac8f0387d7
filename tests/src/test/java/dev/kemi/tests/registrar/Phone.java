package dev.kemi.tests.registrar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A SIP phone on one UDP socket of the test's loopback block: sends requests, takes what arrives. */
final class Phone implements AutoCloseable {
    private final DatagramSocket socket;
    private int seq;

    Phone(String ip) {
        this(ip, 0);
    }

    /** On a given port (0 = any). */
    Phone(String ip, int port) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String ip() {
        return socket.getLocalAddress().getHostAddress();
    }

    int port() {
        return socket.getLocalPort();
    }

    String hostPort() {
        return ip() + ":" + port();
    }

    void send(InetSocketAddress to, String msg) {
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        try {
            socket.send(new DatagramPacket(b, b.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next message, or null when none comes in time. */
    String receive(Duration timeout) {
        byte[] buf = new byte[65535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            socket.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends and returns the final reply (1xx skipped), or null. */
    String request(InetSocketAddress to, String msg) {
        send(to, msg);
        String callId = header(msg, "Call-ID");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            String r = receive(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (r == null) return null;
            if (r.startsWith("SIP/2.0 1") || !callId.equals(header(r, "Call-ID"))) continue;
            if (r.startsWith("SIP/2.0 ")) return r;
        }
        return null;
    }

    /** The first value of a header (full name), or "". */
    static String header(String msg, String name) {
        for (String line : msg.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) return line.substring(name.length() + 1).strip();
        }
        return "";
    }

    /** The ACK for a non-2xx final reply to an INVITE this phone sent (RFC 3261 17.1.1.3). */
    void ackFailure(InetSocketAddress to, String invite, String reply) {
        String first = invite.substring(0, invite.indexOf("\r\n"));
        send(to, "ACK " + first.split(" ")[1] + " SIP/2.0\r\nVia: " + header(invite, "Via") + "\r\nMax-Forwards: 70\r\nFrom: "
                + header(invite, "From") + "\r\nTo: " + header(reply, "To") + "\r\nCall-ID: " + header(invite, "Call-ID")
                + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
    }

    /** A REGISTER for user@domain from this phone; contacts are Contact header values, extra whole header lines. */
    String register(String user, String domain, String callId, int cseq, Integer expires, String... headers) {
        StringBuilder b = new StringBuilder();
        b.append("REGISTER sip:").append(domain).append(" SIP/2.0\r\n");
        b.append("Via: SIP/2.0/UDP ").append(hostPort()).append(";branch=z9hG4bK-r").append(++seq).append('-').append(callId.hashCode() & 0xffff).append("\r\n");
        b.append("Max-Forwards: 70\r\n");
        b.append("From: <sip:").append(user).append('@').append(domain).append(">;tag=f").append(seq).append("\r\n");
        b.append("To: <sip:").append(user).append('@').append(domain).append(">\r\n");
        b.append("Call-ID: ").append(callId).append("\r\n");
        b.append("CSeq: ").append(cseq).append(" REGISTER\r\n");
        for (String h : headers) b.append(h).append("\r\n");
        if (expires != null) b.append("Expires: ").append(expires).append("\r\n");
        b.append("User-Agent: kemi-test\r\n");
        b.append("Content-Length: 0\r\n\r\n");
        return b.toString();
    }

    /** Waits (up to a minute: a KEMI script's first call compiles it) until the proxy answers an OPTIONS. */
    void awaitAnswering(InetSocketAddress proxy) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String callId = "warmup-" + (++seq);
            send(proxy, "OPTIONS sip:nobody@" + proxy.getHostString() + " SIP/2.0\r\nVia: SIP/2.0/UDP " + hostPort()
                    + ";branch=z9hG4bK-w" + seq + "\r\nMax-Forwards: 70\r\nFrom: <sip:w@x>;tag=w" + seq
                    + "\r\nTo: <sip:nobody@x>\r\nCall-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
            String r = receive(Duration.ofSeconds(5));
            while (r != null && !r.contains(callId)) r = receive(Duration.ofSeconds(1));
            if (r != null) return;
        }
        throw new IllegalStateException("proxy " + proxy + " does not answer");
    }

    /** An INVITE to user@domain (no SDP). */
    String invite(String user, String domain, String callId) {
        return "INVITE sip:" + user + "@" + domain + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + hostPort() + ";branch=z9hG4bK-i" + (++seq) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:caller@" + domain + ">;tag=c" + seq + "\r\n"
                + "To: <sip:" + user + "@" + domain + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:caller@" + hostPort() + ">\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** A reply to a received request: Via, From, To (with a tag), Call-ID and CSeq copied. */
    static String replyTo(String request, int code, String reason) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(code).append(' ').append(reason).append("\r\n");
        for (String line : request.split("\r\n")) {
            String l = line.toLowerCase(java.util.Locale.ROOT);
            if (l.startsWith("via:") || l.startsWith("from:") || l.startsWith("call-id:") || l.startsWith("cseq:")) {
                b.append(line).append("\r\n");
            } else if (l.startsWith("to:")) {
                b.append(line).append(line.contains(";tag=") ? "" : ";tag=callee").append("\r\n");
            }
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    static String requestUri(String request) {
        String first = request.substring(0, request.indexOf("\r\n"));
        return first.split(" ")[1];
    }

    @Override
    public void close() {
        socket.close();
    }
}
