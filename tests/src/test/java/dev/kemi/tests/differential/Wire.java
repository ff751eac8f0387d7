package dev.kemi.tests.differential;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The wire around one proxy: a UDP client socket, a TCP client per message if asked, and the next
 * hop; everything arriving on them is an event in one queue, read back per message.
 */
final class Wire implements AutoCloseable {
    /** Something the proxy sent: to the client ("client") or to the next hop ("next"). */
    record Event(String channel, String text) {}

    private volatile InetSocketAddress proxy;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final DatagramSocket udp;
    private final NextHop next;
    private final Thread udpReader;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    Wire(String nextHost) {
        try {
            udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        next = new NextHop(nextHost, events);
        clientPorts.add(udp.getLocalPort());
        udpReader = Thread.ofPlatform().daemon().name("udp-client").start(this::readUdp);
    }

    /** Where messages go: known only once the proxy is started, which needs the next hop's address. */
    void target(InetSocketAddress proxy) {
        this.proxy = proxy;
    }

    NextHop next() {
        return next;
    }

    /** Every local port the client side used (UDP socket, TCP connections). */
    Set<Integer> clientPorts() {
        return clientPorts;
    }

    private void readUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            events.add(new Event("client", new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)));
        }
    }

    /** Sends one message (the template filled in with this wire's addresses) and collects what comes back. */
    List<Event> exchange(CaseFile.Message m, Placeholders ph, int expected) {
        events.clear();
        next.answerWith(m.answer());
        if (!m.tcp()) {
            byte[] data = ph.fill(m.text(), udp.getLocalPort()).getBytes(StandardCharsets.UTF_8);
            try {
                udp.send(new DatagramPacket(data, data.length, proxy));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return collect(expected);
        }
        try (Socket tcp = new Socket(proxy.getAddress(), proxy.getPort())) {
            clientPorts.add(tcp.getLocalPort());
            Thread reader = Thread.ofPlatform().daemon().name("tcp-client").start(() -> readTcp(tcp));
            OutputStream out = tcp.getOutputStream();
            out.write(ph.fill(m.text(), tcp.getLocalPort()).getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<Event> got = collect(expected);
            tcp.close();
            reader.join(2000);
            return got;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Awaits the expected number of messages (a few seconds each), then a quiet window for any extra. */
    private List<Event> collect(int expected) {
        List<Event> got = new ArrayList<>();
        try {
            while (true) {
                Duration wait = got.size() < expected ? Duration.ofSeconds(4) : Duration.ofMillis(400);
                Event e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                if (e == null) return got;
                got.add(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return got;
        }
    }

    /** Frames SIP messages on a stream by Content-Length. */
    private void readTcp(Socket tcp) {
        try {
            InputStream in = tcp.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                buf.write(chunk, 0, n);
                String s = buf.toString(StandardCharsets.UTF_8);
                int end;
                while ((end = s.indexOf("\r\n\r\n")) >= 0) {
                    int total = end + 4 + contentLength(s.substring(0, end));
                    if (s.length() < total) break;
                    events.add(new Event("client", s.substring(0, total)));
                    s = s.substring(total);
                }
                buf.reset();
                buf.write(s.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException closed) {
            // connection closed by either side: done
        }
    }

    private static int contentLength(String head) {
        for (String l : head.split("\r\n")) {
            String lower = l.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                return Integer.parseInt(l.substring(l.indexOf(':') + 1).strip());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        udp.close();
        next.close();
        try {
            udpReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
