package dev.kemi.tests.dispatcher;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A server whose SIP stack is alive but whose calls hang: keepalive OPTIONS get 200, INVITEs get
 * nothing at all. It notes the Call-IDs of the INVITEs it got.
 */
final class HungDestination implements AutoCloseable {
    private final DatagramSocket socket;
    private final Set<String> invites = new LinkedHashSet<>();
    private final Thread reader;

    HungDestination(InetSocketAddress at) throws IOException {
        socket = new DatagramSocket(at);
        reader = Thread.ofVirtual().start(this::read);
    }

    private void read() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
                if (m.startsWith("INVITE ")) {
                    String cid = header(m, "Call-ID");
                    synchronized (invites) {
                        invites.add(cid);
                    }
                } else if (m.startsWith("OPTIONS ")) {
                    byte[] ok = ok(m).getBytes(StandardCharsets.ISO_8859_1);
                    socket.send(new DatagramPacket(ok, ok.length, p.getSocketAddress()));
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** 200 OK to a request: its Via, From, Call-ID and CSeq lines, its To with a tag. */
    private static String ok(String request) {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String l : request.split("\r\n")) {
            String name = l.contains(":") ? l.substring(0, l.indexOf(':')).trim() : "";
            if (name.equalsIgnoreCase("Via") || name.equalsIgnoreCase("v") || name.equalsIgnoreCase("From")
                    || name.equalsIgnoreCase("f") || name.equalsIgnoreCase("Call-ID") || name.equalsIgnoreCase("i")
                    || name.equalsIgnoreCase("CSeq")) {
                b.append(l).append("\r\n");
            } else if (name.equalsIgnoreCase("To") || name.equalsIgnoreCase("t")) {
                b.append(l).append(l.contains(";tag=") ? "" : ";tag=hung").append("\r\n");
            }
        }
        return b.append("Content-Length: 0\r\n\r\n").toString();
    }

    private static String header(String m, String name) {
        for (String l : m.split("\r\n")) if (l.regionMatches(true, 0, name + ":", 0, name.length() + 1)) return l.substring(name.length() + 1).trim();
        return "";
    }

    List<String> invites() {
        synchronized (invites) {
            return List.copyOf(invites);
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join(2000);
    }
}
