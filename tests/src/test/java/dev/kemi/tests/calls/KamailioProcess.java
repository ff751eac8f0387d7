package dev.kemi.tests.calls;

import dev.kemi.tests.Kamailio;
import dev.kemi.tests.ProxyUnderTest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** Kamailio 5.6.3 in the foreground on a free port, with the same cfg as Kemi Proxy. */
final class KamailioProcess implements RunningProxy {
    private final Kamailio kamailio;
    private final int port;

    private KamailioProcess(Kamailio kamailio, int port) {
        this.kamailio = kamailio;
        this.port = port;
    }

    static KamailioProcess start(FrontEnd fe, Path dir) throws Exception {
        int port = ProxyUnderTest.freePort();
        Files.createDirectories(dir);
        if (fe.script != null) Files.copy(RunningProxy.scripts().resolve(fe.script), dir.resolve(fe.script), StandardCopyOption.REPLACE_EXISTING);
        Path cfg = dir.resolve("kamailio.cfg");
        Files.writeString(cfg, RunningProxy.cfgText(fe, "127.0.0.1:" + port, fe.script));
        KamailioProcess k = new KamailioProcess(Kamailio.start(cfg, dir, 128), port);
        try {
            k.awaitReady();
        } catch (Exception e) {
            k.close();
            throw e;
        }
        return k;
    }

    /** Ready once an OPTIONS to the proxy itself is answered. */
    private void awaitReady() throws IOException {
        byte[] options = ("OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-ready\r\nFrom: <sip:t@127.0.0.1>;tag=r\r\n"
                + "To: <sip:127.0.0.1>\r\nCall-ID: ready\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] msg = new String(options, StandardCharsets.US_ASCII).formatted(s.getLocalPort())
                    .getBytes(StandardCharsets.US_ASCII);
            s.setSoTimeout(250);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!kamailio.isAlive()) throw new IllegalStateException("kamailio exited: " + kamailio.log());
                s.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), port));
                try {
                    s.receive(new DatagramPacket(new byte[4096], 4096));
                    return;
                } catch (SocketTimeoutException notYet) {
                    // still starting
                }
            }
        }
        throw new IllegalStateException("kamailio did not answer OPTIONS within 30 s");
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        kamailio.close();
    }
}
