package dev.kemi.tests.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A UDP user agent on one loopback address that sends REGISTER/INVITE with hand-made digest
 * credentials (RFC 2617 written out here) and reads the replies.
 */
final class DigestPeer implements AutoCloseable {
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]*)\"");
    final String domain;
    private final DatagramSocket socket;
    private final InetSocketAddress proxy;
    private final String callId = UUID.randomUUID() + "@peer";
    private int cseq;

    DigestPeer(String localIp, InetSocketAddress proxy, String domain) {
        this.proxy = proxy;
        this.domain = domain;
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(localIp), 0));
            socket.setSoTimeout(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What came back: the status line, the reply text and its headers of interest. */
    record Reply(int status, String reason, String text) {
        String header(String name) {
            for (String line : text.split("\r\n")) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) return line.substring(c + 1).trim();
                if (line.isEmpty()) break;
            }
            return null;
        }

        String challenge() {
            String h = header("WWW-Authenticate");
            return h != null ? h : header("Proxy-Authenticate");
        }

        String nonce() {
            Matcher m = NONCE.matcher(challenge());
            if (!m.find()) throw new AssertionError("no nonce in " + text);
            return m.group(1);
        }
    }

    /** A request from user to the proxy; extra lines go after the standard headers. */
    String request(String method, String fromUser, String toUser, String body, String... extra) {
        cseq++;
        String local = socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
        StringBuilder b = new StringBuilder()
                .append(method).append(' ').append(uri(method, toUser)).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP ").append(local).append(";branch=z9hG4bK-").append(UUID.randomUUID().toString(), 0, 12).append(";rport\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:").append(fromUser).append('@').append(domain).append(">;tag=ft1\r\n")
                .append("To: <sip:").append(toUser).append('@').append(domain).append(">\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n")
                .append("Contact: <sip:").append(fromUser).append('@').append(local).append(">\r\n");
        for (String e : extra) b.append(e).append("\r\n");
        byte[] bb = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (bb.length > 0) b.append("Content-Type: text/plain\r\n");
        return b.append("Content-Length: ").append(bb.length).append("\r\n\r\n").append(body == null ? "" : body).toString();
    }

    String uri(String method, String toUser) {
        return "REGISTER".equals(method) ? "sip:" + domain : "sip:" + toUser + "@" + domain;
    }

    Reply send(String request) {
        return send(request, 5000);
    }

    /** The first request to a KEMI proxy may wait for the worker's script context to start. */
    Reply send(String request, int timeoutMs) {
        byte[] out = request.getBytes(StandardCharsets.UTF_8);
        try {
            socket.setSoTimeout(timeoutMs);
            socket.send(new DatagramPacket(out, out.length, proxy));
            while (true) {
                DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
                socket.receive(p);
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                String first = text.substring(0, text.indexOf("\r\n"));
                String[] parts = first.split(" ", 3);
                int status = Integer.parseInt(parts[1]);
                if (status < 200) continue; // a provisional reply: the final one follows
                return new Reply(status, parts.length > 2 ? parts[2] : "", text);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no reply from " + proxy + " to:\n" + request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The credentials header: qop auth / auth-int (with nc and a cnonce) when qop is not null;
     * auth-int hashes the body.
     */
    static String credentials(String header, String user, String realm, String password, String nonce, String method,
            String uri, String qop, String nc, String body) {
        return credentials("MD5", header, user, realm, password, nonce, method, uri, qop, nc, body);
    }

    /** As above with the hash of RFC 7616 ("MD5" or "SHA-256"). */
    static String credentials(String alg, String header, String user, String realm, String password, String nonce, String method,
            String uri, String qop, String nc, String body) {
        java.util.function.UnaryOperator<String> h = s -> hash(alg, s);
        String ha1 = h.apply(user + ":" + realm + ":" + password);
        String ha2 = "auth-int".equals(qop) ? h.apply(method + ":" + uri + ":" + h.apply(body == null ? "" : body)) : h.apply(method + ":" + uri);
        String cnonce = "0a4f113b";
        String resp = qop == null ? h.apply(ha1 + ":" + nonce + ":" + ha2) : h.apply(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
        return header + ": Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + resp + "\", algorithm=" + alg + (qop == null ? "" : ", qop=" + qop + ", nc=" + nc + ", cnonce=\"" + cnonce + "\"");
    }

    static String md5(String s) {
        return hash("MD5", s);
    }

    static String hash(String alg, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
