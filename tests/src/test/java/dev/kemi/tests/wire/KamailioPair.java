package dev.kemi.tests.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One cfg (and its script files) on Kamailio 5.6.3 and on Kemi Proxy, each on its own loopback
 * address at the same port, so both see the same topology: what each sends is compared after the
 * proxy's address is replaced by {@code PROXY}. {@code {addr}} in the texts is the proxy address.
 */
final class KamailioPair implements AutoCloseable {
    final String kamailioAddr;
    final String oursAddr;
    private final Path kdir;
    private final Kamailio kamailio;
    private final ProxyUnderTest ours;

    KamailioPair(String kamailioAddr, String oursAddr, int port, String cfg, Map<String, String> files) {
        assertTrue(Kamailio.installed(), "kamailio 5.6.3 is not installed: ./kemi test installs it");
        this.kamailioAddr = kamailioAddr;
        this.oursAddr = oursAddr;
        try {
            kdir = Files.createTempDirectory("kemi-pair");
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(kdir.resolve(f.getKey()), fill(f.getValue(), kamailioAddr, kdir));
            }
            Path kcfg = kdir.resolve("kamailio.cfg");
            Files.writeString(kcfg, fill(cfg, kamailioAddr, kdir));
            kamailio = Kamailio.startBound(kcfg, kdir, List.of(new InetSocketAddress(kamailioAddr, port)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> ourFiles = new java.util.HashMap<>();
        files.forEach((k, v) -> ourFiles.put(k, v.replace("{addr}", oursAddr)));
        ProxyUnderTest o;
        try {
            o = ProxyUnderTest.start(cfg.replace("{addr}", oursAddr), ourFiles);
        } catch (RuntimeException e) {
            kamailio.close();
            throw e;
        }
        ours = o;
    }

    private static String fill(String text, String addr, Path dir) {
        return text.replace("{addr}", addr).replace("{dir}", dir.toString());
    }

    @Override
    public void close() {
        ours.close();
        kamailio.close();
    }

    /** A UDP endpoint (a phone) bound on a loopback address, collecting what it receives. */
    static final class Peer implements AutoCloseable {
        final DatagramSocket socket;

        Peer(String host, int port) {
            try {
                socket = new DatagramSocket(new InetSocketAddress(host, port));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void send(String text, String host, int port) {
            byte[] b = text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            try {
                socket.send(new DatagramPacket(b, b.length, new InetSocketAddress(host, port)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The next message, waiting up to timeoutMs; null if none came. */
        String receive(int timeoutMs) {
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.setSoTimeout(timeoutMs);
                socket.receive(p);
                return new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Messages until none comes for quietMs; the first may take up to firstMs. */
        List<String> receiveAll(int firstMs, int quietMs) {
            List<String> out = new ArrayList<>();
            String m = receive(firstMs);
            while (m != null) {
                out.add(m);
                m = receive(quietMs);
            }
            return out;
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
