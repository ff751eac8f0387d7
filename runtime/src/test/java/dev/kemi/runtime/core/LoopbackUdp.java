package dev.kemi.runtime.core;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A test's UDP peer of a proxy on loopback: one request shape, send, and receive-or-null. */
final class LoopbackUdp {
    static final InetAddress LO = InetAddress.getLoopbackAddress();

    private LoopbackUdp() {}

    /** An out-of-dialog request for the proxy itself, with a Via of the sender's port. */
    static String request(String method, int localPort, String callId, int cseq) {
        return method + " sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK" + callId + cseq
                + "\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                + " " + method + "\r\nContent-Length: 0\r\n\r\n";
    }

    static void send(DatagramSocket s, int port, String m) throws Exception {
        byte[] b = m.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, new InetSocketAddress(LO, port)));
    }

    /** The next datagram as text, or null when the socket's timeout passes first. */
    static String receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}
