package dev.kemi.tests.basickemi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user agent behind a simulated NAT: its signalling and media sockets are on one loopback
 * address, while its Via, Contact and SDP name another address and port (the "private" side).
 * Everything it receives is kept in an inbox, so a keepalive that comes between two requests
 * is not lost.
 */
final class NatUa implements AutoCloseable {
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]*)\""), QOP = Pattern.compile("qop=\"([^\"]*)\"");
    /** A minute: the first request a GraalPy script handles compiles it, here with four other proxies starting. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    final String user, domain;
    final String advertised;
    final InetSocketAddress proxy;
    final Inbox sip, rtp;
    /** Every reply it got to its own requests, in order, provisional ones too; the scenario takes them. */
    final List<String> replies = new ArrayList<>();
    private int seq;

    /**
     * {@code advertised} is the host:port it puts in Via and Contact (null: where it really is, no
     * NAT); the SDP names its address.
     */
    NatUa(String ip, String advertised, String user, InetSocketAddress proxy) {
        this.user = user;
        this.domain = proxy.getAddress().getHostAddress();
        this.proxy = proxy;
        sip = new Inbox(ip);
        rtp = new Inbox(ip);
        this.advertised = advertised != null ? advertised : sip.hostPort();
    }

    String real() {
        return sip.hostPort();
    }

    String advertisedIp() {
        return advertised.split(":")[0];
    }

    /** Sends the request, answers a 401/407 once with credentials (the 407 of an INVITE ACKed), returns the final reply. */
    String withAuth(String method, String ruri, String to, String headers, String body) {
        String callId = method + "-" + user + "-" + System.nanoTime();
        String reply = request(build(method, ruri, to, callId, 1, headers, body));
        if (reply == null || !(reply.startsWith("SIP/2.0 401") || reply.startsWith("SIP/2.0 407"))) return reply;
        boolean proxyAuth = reply.startsWith("SIP/2.0 407");
        if (method.equals("INVITE")) {
            sip.send(proxy, "ACK " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP " + advertised + ";branch=z9hG4bK-" + user + seq + ";rport\r\n"
                    + "Max-Forwards: 70\r\nFrom: " + header(reply, "From") + "\r\nTo: " + header(reply, "To") + "\r\nCall-ID: " + callId
                    + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
        }
        String challenge = header(reply, proxyAuth ? "Proxy-Authenticate" : "WWW-Authenticate");
        Matcher n = NONCE.matcher(challenge), q = QOP.matcher(challenge);
        if (!n.find()) throw new AssertionError("no nonce in " + reply);
        String ha1 = BasicKemiExampleTest.md5(user + ":" + domain + ":secret-" + user), ha2 = BasicKemiExampleTest.md5(method + ":" + ruri);
        String cred = "Digest username=\"" + user + "\", realm=\"" + domain + "\", nonce=\"" + n.group(1) + "\", uri=\"" + ruri + "\", ";
        cred += q.find()
                ? "qop=auth, nc=00000001, cnonce=\"c0ffee\", response=\"" + BasicKemiExampleTest.md5(ha1 + ":" + n.group(1) + ":00000001:c0ffee:auth:" + ha2) + "\""
                : "response=\"" + BasicKemiExampleTest.md5(ha1 + ":" + n.group(1) + ":" + ha2) + "\"";
        return request(build(method, ruri, to, callId, 2, headers + (proxyAuth ? "Proxy-Authorization: " : "Authorization: ") + cred + ", algorithm=MD5\r\n", body));
    }

    /** A request inside the dialog the 200 to an INVITE set up: to its Contact, through its Record-Route. */
    String inDialog(String method, String okToInvite, int cseq) {
        List<String> rr = new ArrayList<>(headers(okToInvite, "Record-Route"));
        java.util.Collections.reverse(rr);
        String contact = header(okToInvite, "Contact");
        String target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
        String msg = method + " " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP " + advertised + ";branch=z9hG4bK-" + user + (++seq) + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: " + header(okToInvite, "From") + "\r\nTo: " + header(okToInvite, "To") + "\r\n"
                + "Call-ID: " + header(okToInvite, "Call-ID") + "\r\nCSeq: " + cseq + " " + method + "\r\n"
                + (rr.isEmpty() ? "" : "Route: " + String.join(", ", rr) + "\r\n") + "Content-Length: 0\r\n\r\n";
        if (method.equals("ACK")) {
            sip.send(proxy, msg);
            return null;
        }
        return request(msg);
    }

    /** An OPTIONS to the proxy itself; its reply, or null after 2 s (five proxies share a loaded machine). */
    String options() {
        String callId = "opt-" + user + "-" + System.nanoTime();
        sip.send(proxy, build("OPTIONS", "sip:" + domain, "sip:" + domain, callId, 1, "", ""));
        return sip.await(m -> callId.equals(header(m, "Call-ID")), Duration.ofSeconds(2));
    }

    /** The SDP this UA offers or answers with: its advertised address, a port nothing listens on. */
    String sdp(int port) {
        String ip = advertisedIp();
        return "v=0\r\no=- 1 1 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\nm=audio " + port + " RTP/AVP 0\r\n";
    }

    /** The 200 to an INVITE it received, with its Contact and SDP. */
    void answer(String invite, int sdpPort) {
        String sdp = sdp(sdpPort);
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : invite.split("\r\n")) {
            if (line.isEmpty()) break;
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("via:") || l.startsWith("record-route:") || l.startsWith("from:") || l.startsWith("call-id:") || l.startsWith("cseq:")) b.append(line).append("\r\n");
            if (l.startsWith("to:")) b.append(line).append(";tag=").append(user).append("1\r\n");
        }
        b.append("Contact: <sip:").append(user).append('@').append(advertised).append(">\r\nContent-Type: application/sdp\r\nContent-Length: ")
                .append(sdp.length()).append("\r\n\r\n").append(sdp);
        sip.send(proxy, b.toString());
    }

    /** A 200 with no body to a request it received. */
    void ok(String request) {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String line : request.split("\r\n")) {
            if (line.isEmpty()) break;
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("via:") || l.startsWith("from:") || l.startsWith("to:") || l.startsWith("call-id:") || l.startsWith("cseq:")) b.append(line).append("\r\n");
        }
        sip.send(proxy, b.append("Content-Length: 0\r\n\r\n").toString());
    }

    private String build(String method, String ruri, String to, String callId, int cseq, String headers, String body) {
        return method + " " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP " + advertised + ";branch=z9hG4bK-" + user + (++seq) + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:" + user + "@" + domain + ">;tag=" + user + "-" + Integer.toHexString(callId.hashCode()) + "\r\nTo: <" + to + ">\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + cseq + " " + method + "\r\n" + headers + "User-Agent: kemi-test\r\n"
                + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Sends and returns the final reply, or null after a minute; the provisional ones before it are noted in {@link #replies}. */
    private String request(String msg) {
        sip.send(proxy, msg);
        String callId = header(msg, "Call-ID"), cseq = header(msg, "CSeq");
        Predicate<String> ours = r -> r.startsWith("SIP/2.0 ") && callId.equals(header(r, "Call-ID")) && cseq.equals(header(r, "CSeq"));
        String last = sip.await(r -> ours.test(r) && !r.startsWith("SIP/2.0 1"), WAIT);
        for (String r; (r = sip.await(ours, Duration.ZERO)) != null; ) replies.add(r);
        if (last != null) replies.add(last);
        return last;
    }

    static String header(String msg, String name) {
        List<String> all = headers(msg, name);
        return all.isEmpty() ? "" : all.getFirst();
    }

    /** Every value of a header, in order. */
    static List<String> headers(String msg, String name) {
        List<String> out = new ArrayList<>();
        for (String line : msg.split("\r\n")) {
            if (line.isEmpty()) break;
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) out.add(line.substring(name.length() + 1).strip());
        }
        return out;
    }

    static String body(String msg) {
        int i = msg.indexOf("\r\n\r\n");
        return i < 0 ? "" : msg.substring(i + 4);
    }

    @Override
    public void close() {
        sip.close();
        rtp.close();
    }

    /** One UDP socket and a reader that keeps every datagram (text, and where it came from) until taken. */
    static final class Inbox implements AutoCloseable {
        record Datagram(String text, InetSocketAddress from) {}

        private final DatagramSocket socket;
        private final List<Datagram> kept = new ArrayList<>();
        private final Thread reader;

        Inbox(String ip) {
            try {
                socket = new DatagramSocket(new InetSocketAddress(ip, 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            reader = Thread.ofVirtual().start(this::read);
        }

        String hostPort() {
            return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void read() {
            byte[] buf = new byte[65535];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    continue; // an ICMP error of an earlier send: the socket is still good
                }
                synchronized (kept) {
                    kept.add(new Datagram(new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1), (InetSocketAddress) p.getSocketAddress()));
                    kept.notifyAll();
                }
            }
        }

        void send(InetSocketAddress to, String text) {
            byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
            try {
                socket.send(new DatagramPacket(b, b.length, to));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Takes the first kept or arriving datagram whose text matches, or null at the deadline. */
        String await(Predicate<String> match, Duration timeout) {
            Datagram d = awaitDatagram(d1 -> match.test(d1.text()), timeout);
            return d == null ? null : d.text();
        }

        Datagram awaitDatagram(Predicate<Datagram> match, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (kept) {
                while (true) {
                    for (int i = 0; i < kept.size(); i++) {
                        if (match.test(kept.get(i))) return kept.remove(i);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return null;
                    try {
                        kept.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
            }
        }

        @Override
        public void close() {
            socket.close();
            reader.interrupt();
        }
    }
}
