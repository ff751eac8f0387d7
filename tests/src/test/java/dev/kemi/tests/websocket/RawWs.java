package dev.kemi.tests.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A deliberately misbehaving client for the bad-input cases: writes handshakes and frames byte
 * by byte as the test wants them (oversized, never answering Pings) and reads what comes back.
 */
final class RawWs implements AutoCloseable {
    static final String GOOD = "GET / HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n";
    private final Socket tcp;
    private final Socket s;
    private final DataInputStream in;
    private final OutputStream out;

    RawWs(String localIp, InetSocketAddress server) throws IOException {
        this(localIp, server, null);
    }

    /** @param tls null for WS, the client context for WSS */
    RawWs(String localIp, InetSocketAddress server, SSLContext tls) throws IOException {
        tcp = new Socket();
        tcp.bind(new InetSocketAddress(localIp, 0));
        tcp.connect(server, 5000);
        tcp.setSoTimeout(10_000);
        if (tls == null) {
            s = tcp;
        } else {
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(tcp, server.getHostString(), server.getPort(), true);
            ssl.startHandshake();
            s = ssl;
        }
        in = new DataInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Sends the request and returns the HTTP reply head (up to the blank line), or what came before EOF. */
    String handshake(String request) throws IOException {
        out.write(request.replace("{host}", s.getInetAddress().getHostAddress() + ":" + s.getPort()).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                return head.toString(StandardCharsets.ISO_8859_1) + "(no reply)";
            }
            if (b < 0) break;
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One masked frame with FIN set. */
    void frame(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            f.write(0x80 | 126);
            f.write(payload.length >> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) f.write((int) ((long) payload.length >> (8 * i)));
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        f.write(mask);
        for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i % 4]);
        try {
            out.write(f.toByteArray());
            out.flush();
        } catch (IOException e) {
            // the server may close while the frame is still going out: what it answered is read next
        }
    }

    /** The next frame as "opcode payload" (close: "8 code reason"); "EOF" when the connection ended, "TIMEOUT" after the wait. */
    String readFrame(int timeoutMs) throws IOException {
        s.setSoTimeout(timeoutMs);
        try {
            int b0 = in.readUnsignedByte(), b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) len = in.readUnsignedShort();
            else if (len == 127) len = in.readLong();
            byte[] p = new byte[(int) len];
            in.readFully(p);
            int op = b0 & 0x0F;
            if (op == 8 && p.length >= 2) return "8 " + ((p[0] & 0xFF) << 8 | (p[1] & 0xFF)) + " " + new String(p, 2, p.length - 2, StandardCharsets.UTF_8);
            return op + " " + new String(p, StandardCharsets.UTF_8);
        } catch (EOFException e) {
            return "EOF";
        } catch (SocketTimeoutException e) {
            return "TIMEOUT";
        } catch (IOException e) {
            return "EOF"; // reset by the peer
        }
    }

    /** Reads until the connection ends; true if it did within the wait. */
    boolean closedWithin(int timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            String f = readFrame((int) Math.max(1, deadline - System.currentTimeMillis()));
            if (f.equals("EOF")) return true;
            if (f.equals("TIMEOUT")) return false;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        tcp.close(); // not the TLS socket's close: it would wait for the peer's close_notify
    }
}
